package io.zkmq.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the outcomes: an aligned table for people, then one {@code RESULT <name> <value>} line per
 * figure for scripts, then one {@code FAILED <scenario>: <message>} line per failed scenario.
 */
final class ResultReport {

    private static final String[] HEADER = {"scenario", "result", "value", "unit"};

    private ResultReport() {}

    static void print(List<ScenarioRunner.Outcome> outcomes, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ScenarioRunner.Outcome outcome : outcomes) {
            for (Result result : outcome.results()) {
                rows.add(
                        new String[] {
                            outcome.scenario(), result.name(), format(result.value()), result.unit()
                        });
            }
            if (outcome.failed()) {
                rows.add(new String[] {outcome.scenario(), "(failed)", "", ""});
            }
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.println();
        for (String[] row : rows) {
            // value is right-aligned so that the decimal points line up
            out.println(
                    String.format(
                                    Locale.ROOT,
                                    "%-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2]
                                            + "s  %s",
                                    row[0],
                                    row[1],
                                    row[2],
                                    row[3])
                            .stripTrailing());
        }
        out.println();
        for (ScenarioRunner.Outcome outcome : outcomes) {
            for (Result result : outcome.results()) {
                out.println("RESULT " + result.name() + " " + format(result.value()));
            }
        }
        for (ScenarioRunner.Outcome outcome : outcomes) {
            if (outcome.failed()) {
                out.println("FAILED " + outcome.scenario() + ": " + outcome.failure());
            }
        }
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
