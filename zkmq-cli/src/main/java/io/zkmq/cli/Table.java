package io.zkmq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns: numeric columns right-aligned, others left-aligned, two
 * spaces between columns, no trailing blanks.
 */
final class Table {
    private final String[] headers;
    private final List<Object[]> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = headers;
    }

    /**
     * Adds a row; columns of {@link Number}s are right-aligned, {@code null} prints as {@code -}.
     */
    Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(
                    "Row has " + cells.length + " cells, the table " + headers.length + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    void print(PrintWriter out) {
        int columns = headers.length;
        int[] width = new int[columns];
        boolean[] numeric = new boolean[columns];
        for (int c = 0; c < columns; c++) {
            width[c] = headers[c].length();
            boolean sawNumber = false;
            boolean onlyNumbers = true;
            for (Object[] row : rows) {
                width[c] = Math.max(width[c], text(row[c]).length());
                sawNumber |= row[c] instanceof Number;
                onlyNumbers &= row[c] == null || row[c] instanceof Number;
            }
            numeric[c] = sawNumber && onlyNumbers;
        }
        printLine(out, headers, width, numeric);
        for (Object[] row : rows) {
            printLine(out, row, width, numeric);
        }
    }

    private static void printLine(PrintWriter out, Object[] cells, int[] width, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            String s = text(cells[c]);
            String pad = " ".repeat(width[c] - s.length());
            line.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + s : s + pad);
        }
        out.println(line.toString().stripTrailing());
    }

    private static String text(Object cell) {
        return cell == null ? "-" : cell.toString();
    }
}
