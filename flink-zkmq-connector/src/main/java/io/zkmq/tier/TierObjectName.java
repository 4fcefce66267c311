package io.zkmq.tier;

import io.zkmq.queue.ZkmqPaths;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.annotation.Internal;

/**
 * The file name of a tier object, {@code <firstSeq %019d>-<attempt>.zkseg}: the first batch it
 * holds and a random attempt id (16 lower-case hex digits), so every upload has a name no other
 * upload uses and never needs a rename or an overwrite.
 */
@Internal
public record TierObjectName(long firstSeq, String attempt) {
    public static final String SUFFIX = ".zkseg";
    private static final Pattern NAME =
            Pattern.compile("(\\d{19})-([0-9a-f]{16})" + Pattern.quote(SUFFIX));
    private static final Pattern ATTEMPT = Pattern.compile("[0-9a-f]{16}");

    public TierObjectName {
        if (firstSeq < 0 || attempt == null || !ATTEMPT.matcher(attempt).matches()) {
            throw new IllegalArgumentException(
                    "tier object name needs a non-negative first seq and 16 lower-case hex digits"
                            + " of attempt, got "
                            + firstSeq
                            + " / "
                            + attempt);
        }
    }

    /** A name with a fresh random attempt id. */
    public static TierObjectName newAttempt(long firstSeq, RandomGenerator random) {
        return new TierObjectName(firstSeq, HexFormat.of().toHexDigits(random.nextLong()));
    }

    public String fileName() {
        return ZkmqPaths.pad(firstSeq) + "-" + attempt + SUFFIX;
    }

    /** The name a file called {@code fileName} has, if it is a tier object's. */
    public static Optional<TierObjectName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TierObjectName(Long.parseLong(m.group(1)), m.group(2)));
        } catch (NumberFormatException e) { // 19 digits beyond Long.MAX_VALUE
            return Optional.empty();
        }
    }
}
