package io.zkmq.client;

import java.util.Objects;

/** Where to start reading a partition: the earliest retained record, the head, or a given offset. */
public final class StartPosition {
    private enum Kind { EARLIEST, LATEST, OFFSET }

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
                    throw new io.zkmq.error.InvalidConfigException("Start position must be 'earliest', 'latest' or an"
                            + " offset >= 0, got '" + text + "'");
                }
        }
    }

    public boolean isEarliest() {
        return kind == Kind.EARLIEST;
    }

    public boolean isLatest() {
        return kind == Kind.LATEST;
    }

    /** The offset, or -1 for earliest/latest. */
    public long offset() {
        return offset;
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
        return kind == Kind.OFFSET ? "offset " + offset : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
