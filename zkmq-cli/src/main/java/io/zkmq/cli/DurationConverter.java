package io.zkmq.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations as a number and a unit ({@code 500ms}, {@code 15s}, {@code 5m}, {@code 12h},
 * {@code 7d}) or ISO-8601 ({@code PT15S}), and formats them back in the largest exact unit.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern AMOUNT_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    @Override
    public Duration convert(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = AMOUNT_UNIT.matcher(t);
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(text.trim());
            }
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            // Reported below.
        }
        throw new TypeConversionException(
                "'"
                        + text
                        + "' is not a duration; use a number and a unit (ms, s, m, h, d),"
                        + " e.g. 500ms, 15s or 7d");
    }

    /**
     * An age, rounded down to its two largest units: {@code 45s}, {@code 5m12s}, {@code 3h7m},
     * {@code 2d4h}. Negative ages (clock skew) print as {@code 0s}.
     */
    static String formatAge(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h" + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d" + s % 86_400 / 3600 + "h";
    }

    /**
     * {@code 7d}, {@code 90m}, {@code 1500ms}: the largest unit that represents the duration
     * exactly.
     */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms != 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms != 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
