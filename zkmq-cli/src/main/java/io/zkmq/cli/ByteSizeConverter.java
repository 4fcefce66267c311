package io.zkmq.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses byte counts as a plain number or with a binary unit ({@code 256KiB}, {@code 128MiB},
 * {@code 1GiB}; {@code k}, {@code m}, {@code g} mean the same), and formats them for humans.
 */
final class ByteSizeConverter implements ITypeConverter<Long> {
    private static final Pattern AMOUNT_UNIT =
            Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

    @Override
    public Long convert(String text) {
        Matcher m = AMOUNT_UNIT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            try {
                long amount = Long.parseLong(m.group(1));
                int shift =
                        switch (m.group(2).isEmpty() ? 'b' : m.group(2).charAt(0)) {
                            case 'k' -> 10;
                            case 'm' -> 20;
                            case 'g' -> 30;
                            default -> 0;
                        };
                if (amount > (Long.MAX_VALUE >> shift)) {
                    throw new ArithmeticException("overflow");
                }
                return amount << shift;
            } catch (ArithmeticException | NumberFormatException e) {
                // Reported below.
            }
        }
        throw new TypeConversionException(
                "'"
                        + text
                        + "' is not a byte size; use a number of bytes, optionally with"
                        + " KiB, MiB or GiB, e.g. 1048576 or 128MiB");
    }

    /** {@code 134217728 (128 MiB)}, or just the number below 1 KiB or when no unit divides it. */
    static String format(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes >= unit && bytes % unit == 0) {
                return bytes + " (" + (bytes >> shifts[i]) + " " + units[i] + ")";
            }
        }
        return Long.toString(bytes);
    }

    /** Narrows a parsed size for an int-valued setting, naming the option if it does not fit. */
    static int toInt(String option, long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be below 2 GiB, got " + bytes);
        }
        return (int) bytes;
    }
}
