package io.zkmq.cli;

import io.zkmq.client.DurationSyntax;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses durations with the connector's {@link DurationSyntax} ({@code 500ms}, {@code 15s}, {@code
 * 5m}, {@code 1min}, {@code 12h}, {@code 7d}, ISO-8601), the same as the example jobs, and formats
 * them back in the largest exact unit.
 */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        try {
            return DurationSyntax.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
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
