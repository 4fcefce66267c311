package io.zkmq.client;

import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where to start reading a partition: the earliest retained record, the head, a given offset, or
 * the first record whose timestamp is at least a given time.
 */
@PublicEvolving
public final class StartPosition {
    private enum Kind {
        EARLIEST,
        LATEST,
        OFFSET,
        TIMESTAMP
    }

    private static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, -1);
    private static final StartPosition LATEST = new StartPosition(Kind.LATEST, -1);

    private final Kind kind;
    private final long offset;

    private StartPosition(Kind kind, long offset) {
        this.kind = kind;
        this.offset = offset;
    }

    public static StartPosition earliest() {
        return EARLIEST;
    }

    public static StartPosition latest() {
        return LATEST;
    }

    public static StartPosition offset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Start offset must be >= 0, got " + offset);
        }
        return new StartPosition(Kind.OFFSET, offset);
    }

    /**
     * The first record with a timestamp of at least {@code timestampMillis} (or the head if there
     * is none). Found by binary search over the batches' maximum timestamps, so it assumes
     * timestamps that grow with offsets, as producer-assigned timestamps do.
     */
    public static StartPosition timestamp(long timestampMillis) {
        if (timestampMillis < 0) {
            throw new IllegalArgumentException(
                    "Start timestamp must be >= 0 ms since the epoch, got " + timestampMillis);
        }
        return new StartPosition(Kind.TIMESTAMP, timestampMillis);
    }

    /** Parses {@code earliest}, {@code latest} or a non-negative offset. */
    public static StartPosition parse(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "earliest":
                return EARLIEST;
            case "latest":
                return LATEST;
            default:
                try {
                    return offset(Long.parseLong(text.trim()));
                } catch (IllegalArgumentException e) {
                    throw new io.zkmq.error.InvalidConfigException(
                            "Start position must be 'earliest', 'latest' or an"
                                    + " offset >= 0, got '"
                                    + text
                                    + "'");
                }
        }
    }

    public boolean isEarliest() {
        return kind == Kind.EARLIEST;
    }

    public boolean isLatest() {
        return kind == Kind.LATEST;
    }

    public boolean isTimestamp() {
        return kind == Kind.TIMESTAMP;
    }

    /** The offset, or -1 unless this is an offset position. */
    public long offset() {
        return kind == Kind.OFFSET ? offset : -1;
    }

    /** The timestamp in ms, or -1 unless this is a timestamp position. */
    public long timestamp() {
        return kind == Kind.TIMESTAMP ? offset : -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StartPosition s && s.kind == kind && s.offset == offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, offset);
    }

    @Override
    public String toString() {
        switch (kind) {
            case OFFSET:
                return "offset " + offset;
            case TIMESTAMP:
                return "timestamp " + offset;
            default:
                return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
