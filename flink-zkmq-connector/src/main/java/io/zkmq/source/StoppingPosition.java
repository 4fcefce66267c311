package io.zkmq.source;

import io.zkmq.queue.QueuePartition;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where a bounded source stops: at the head each partition had when the job started, at given
 * offsets, or before the first record whose timestamp is at least a given time. Stop offsets are
 * exclusive and resolved once by the enumerator when it creates the splits, so every reader stops
 * at the same place even after failures. {@link #none()} makes the source unbounded.
 */
@PublicEvolving
public final class StoppingPosition implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The kinds of stopping position. */
    public enum Kind {
        NONE,
        LATEST,
        OFFSETS,
        TIMESTAMP
    }

    private static final StoppingPosition NONE = new StoppingPosition(Kind.NONE, -1, null);
    private static final StoppingPosition LATEST = new StoppingPosition(Kind.LATEST, -1, null);

    private final Kind kind;
    private final long timestamp;
    private final SortedMap<QueuePartition, Long> offsets;

    private StoppingPosition(Kind kind, long timestamp, SortedMap<QueuePartition, Long> offsets) {
        this.kind = kind;
        this.timestamp = timestamp;
        this.offsets = offsets;
    }

    /** Unbounded: never stop. */
    public static StoppingPosition none() {
        return NONE;
    }

    /** Stop at the head offsets of the partitions when the job starts. */
    public static StoppingPosition latest() {
        return LATEST;
    }

    /**
     * Stop before the given offset in each partition (exclusive); partitions not in the map stop at
     * the head they had when the job started.
     */
    public static StoppingPosition offsets(Map<QueuePartition, Long> offsets) {
        Objects.requireNonNull(offsets, "offsets must not be null");
        SortedMap<QueuePartition, Long> copy = new TreeMap<>();
        offsets.forEach(
                (p, o) -> {
                    if (o == null || o < 0) {
                        throw new IllegalArgumentException(
                                "Stopping offset of " + p + " must be >= 0, got " + o);
                    }
                    copy.put(p, o);
                });
        return new StoppingPosition(Kind.OFFSETS, -1, Collections.unmodifiableSortedMap(copy));
    }

    /** Stop before the first record whose timestamp is at least {@code timestampMillis}. */
    public static StoppingPosition timestamp(long timestampMillis) {
        if (timestampMillis < 0) {
            throw new IllegalArgumentException(
                    "Stopping timestamp must be >= 0 ms since the epoch, got " + timestampMillis);
        }
        return new StoppingPosition(Kind.TIMESTAMP, timestampMillis, null);
    }

    /** Parses {@code none}, {@code latest} or {@code timestamp:<ms>}. */
    public static StoppingPosition parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.equals("none") || t.equals("unbounded")) {
                return NONE;
            }
            if (t.equals("latest")) {
                return LATEST;
            }
            if (t.startsWith("timestamp:")) {
                return timestamp(Long.parseLong(t.substring("timestamp:".length())));
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new io.zkmq.error.InvalidConfigException(
                "Stopping position must be 'none', 'latest' or 'timestamp:<ms since epoch>', got '"
                        + text
                        + "'");
    }

    public Kind kind() {
        return kind;
    }

    public boolean isBounded() {
        return kind != Kind.NONE;
    }

    /** The time of a TIMESTAMP position, else -1. */
    public long timestamp() {
        return timestamp;
    }

    public SortedMap<QueuePartition, Long> offsets() {
        return offsets == null ? Collections.emptySortedMap() : offsets;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoppingPosition s
                && s.kind == kind
                && s.timestamp == timestamp
                && Objects.equals(s.offsets, offsets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, timestamp, offsets);
    }

    @Override
    public String toString() {
        switch (kind) {
            case TIMESTAMP:
                return "timestamp " + timestamp;
            case OFFSETS:
                return "offsets " + offsets;
            default:
                return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
