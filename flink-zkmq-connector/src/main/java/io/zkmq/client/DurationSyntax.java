package io.zkmq.client;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The one duration syntax of the {@code zkmq} CLI and the example jobs: a whole number and a unit,
 * optionally with a space ({@code 500ms}, {@code 10s}, {@code 5m} or {@code 5min}, {@code 2h},
 * {@code 7d}), or ISO-8601 ({@code PT15S}). It reads Flink's own forms of these units too, and is
 * here rather than Flink's {@code TimeUtils} because the CLI runs without Flink on its class path.
 */
@PublicEvolving
public final class DurationSyntax {
    private static final Pattern AMOUNT_UNIT =
            Pattern.compile(
                    "(\\d+)\\s*(ms|milli|millis|s|sec|secs|second|seconds|m|min|mins|minute|minutes"
                            + "|h|hour|hours|d|day|days)");

    private DurationSyntax() {}

    private static ChronoUnit unit(String name) {
        return switch (name) {
            case "ms", "milli", "millis" -> ChronoUnit.MILLIS;
            case "s", "sec", "secs", "second", "seconds" -> ChronoUnit.SECONDS;
            case "m", "min", "mins", "minute", "minutes" -> ChronoUnit.MINUTES;
            case "h", "hour", "hours" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
    }

    /**
     * The duration {@code text} names; throws {@link IllegalArgumentException} saying what is
     * accepted, also for a duration too long to count in milliseconds.
     */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = AMOUNT_UNIT.matcher(t);
        try {
            Duration d = null;
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                d = Duration.of(amount, unit(m.group(2)));
            } else if (t.startsWith("p")) {
                d = Duration.parse(text.trim());
            }
            if (d != null) {
                d.toMillis(); // everything downstream counts milliseconds: fail here, not there
                return d;
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is too long a duration (at most 106751991167d)");
        } catch (NumberFormatException | DateTimeParseException e) {
            // Reported below.
        }
        throw new IllegalArgumentException(
                "'"
                        + text
                        + "' is not a duration; use a number and a unit (ms, s, m or min, h, d),"
                        + " e.g. 500ms, 10s, 1min or 7d");
    }
}
