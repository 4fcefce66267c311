package io.zkmq.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the client's messages in the CLI's terms: the Java option a check names ({@code
 * connectionTimeout must be ...}) becomes the command-line option, and ISO-8601 durations ({@code
 * PT0S}) are written as the CLI reads them ({@code 0s}).
 */
final class CliWording {
    private static final Map<String, String> OPTIONS =
            Map.of(
                    "connectionTimeout", "--connect-timeout",
                    "deliveryTimeout", "--delivery-timeout",
                    "retentionTime", "--retention-time",
                    "retentionBytes", "--retention-bytes",
                    "hotRetentionTime", "--hot-retention-time",
                    "hotRetentionBytes", "--hot-retention-bytes",
                    "maxBatchBytes", "--max-batch-bytes",
                    "segmentBatches", "--segment-batches",
                    "quotaBytes", "--quota-bytes",
                    "tierUri", "--tier-uri");
    private static final Pattern SETTER_CHECK = Pattern.compile("\\b([a-z][A-Za-z]+)(?= must )");
    private static final Pattern ISO_DURATION =
            Pattern.compile("\\bPT(?:-?\\d+H)?(?:-?\\d+M)?(?:-?\\d+(?:\\.\\d+)?S)?\\b");

    private CliWording() {}

    static String of(String message) {
        Matcher setter = SETTER_CHECK.matcher(message);
        StringBuilder out = new StringBuilder();
        while (setter.find()) {
            setter.appendReplacement(
                    out,
                    Matcher.quoteReplacement(
                            OPTIONS.getOrDefault(setter.group(1), setter.group(1))));
        }
        setter.appendTail(out);
        Matcher iso = ISO_DURATION.matcher(out.toString());
        StringBuilder result = new StringBuilder();
        while (iso.find()) {
            iso.appendReplacement(result, Matcher.quoteReplacement(format(iso.group())));
        }
        iso.appendTail(result);
        return result.toString();
    }

    private static String format(String iso) {
        try {
            Duration d = Duration.parse(iso);
            return d.isNegative()
                    ? "-" + DurationConverter.format(d.negated())
                    : DurationConverter.format(d);
        } catch (DateTimeParseException | ArithmeticException e) {
            return iso; // too long to say in milliseconds: leave it as it was
        }
    }
}
