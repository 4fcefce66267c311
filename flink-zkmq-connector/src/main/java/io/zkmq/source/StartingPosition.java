package io.zkmq.source;

import io.zkmq.client.StartPosition;
import io.zkmq.queue.QueuePartition;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where a split starts reading when the job does not restore it from a checkpoint: the earliest
 * retained record, the head, a given offset per partition, the first record at or after a
 * timestamp, or the group's committed offset with a fallback for partitions it has not committed.
 * Partitions discovered while the job runs always start at the earliest record.
 *
 * <p>Immutable. Resolved per partition by the reader once it holds the partition's lock, so {@code
 * committed} reads the offset the previous holder committed last.
 */
@PublicEvolving
public final class StartingPosition implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The kinds of starting position. */
    public enum Kind {
        EARLIEST,
        LATEST,
        OFFSET,
        TIMESTAMP,
        OFFSETS,
        COMMITTED
    }

    private static final StartingPosition EARLIEST =
            new StartingPosition(Kind.EARLIEST, -1, null, null);
    private static final StartingPosition LATEST =
            new StartingPosition(Kind.LATEST, -1, null, null);

    private final Kind kind;
    private final long value;
    private final SortedMap<QueuePartition, Long> offsets;
    private final StartingPosition fallback;

    private StartingPosition(
            Kind kind,
            long value,
            SortedMap<QueuePartition, Long> offsets,
            StartingPosition fallback) {
        this.kind = kind;
        this.value = value;
        this.offsets = offsets;
        this.fallback = fallback;
    }

    public static StartingPosition earliest() {
        return EARLIEST;
    }

    public static StartingPosition latest() {
        return LATEST;
    }

    /** The same offset in every partition (mostly useful per split, see {@link #offsets}). */
    public static StartingPosition offset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Starting offset must be >= 0, got " + offset);
        }
        return new StartingPosition(Kind.OFFSET, offset, null, null);
    }

    /**
     * The first record whose timestamp is at least {@code timestampMillis} (ms since the epoch).
     */
    public static StartingPosition timestamp(long timestampMillis) {
        if (timestampMillis < 0) {
            throw new IllegalArgumentException(
                    "Starting timestamp must be >= 0 ms since the epoch, got " + timestampMillis);
        }
        return new StartingPosition(Kind.TIMESTAMP, timestampMillis, null, null);
    }

    /** Given offsets per partition; partitions not in the map start at {@code fallback}. */
    public static StartingPosition offsets(
            Map<QueuePartition, Long> offsets, StartingPosition fallback) {
        Objects.requireNonNull(offsets, "offsets must not be null");
        requireSimpleFallback(fallback, "offsets");
        SortedMap<QueuePartition, Long> copy = new TreeMap<>();
        offsets.forEach(
                (p, o) -> {
                    if (o == null || o < 0) {
                        throw new IllegalArgumentException(
                                "Starting offset of " + p + " must be >= 0, got " + o);
                    }
                    copy.put(p, o);
                });
        return new StartingPosition(
                Kind.OFFSETS, -1, Collections.unmodifiableSortedMap(copy), fallback);
    }

    /** The group's committed offset; partitions without one start at {@code fallback}. */
    public static StartingPosition committed(StartingPosition fallback) {
        Objects.requireNonNull(fallback, "the fallback of committed() must not be null");
        if (fallback.kind == Kind.COMMITTED) {
            throw new IllegalArgumentException(
                    "The fallback of committed() cannot itself be committed()");
        }
        return new StartingPosition(Kind.COMMITTED, -1, null, fallback);
    }

    private static void requireSimpleFallback(StartingPosition fallback, String what) {
        Objects.requireNonNull(fallback, "the fallback of " + what + "() must not be null");
        if (fallback.kind == Kind.COMMITTED || fallback.kind == Kind.OFFSETS) {
            throw new IllegalArgumentException(
                    "The fallback of "
                            + what
                            + "() must be earliest, latest, an offset or a timestamp");
        }
    }

    /**
     * Parses {@code earliest}, {@code latest}, {@code committed} (falling back to earliest), {@code
     * committed-or-latest}, {@code timestamp:<ms>} or an offset.
     */
    public static StartingPosition parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "earliest":
                return EARLIEST;
            case "latest":
                return LATEST;
            case "committed":
            case "committed-or-earliest":
                return committed(EARLIEST);
            case "committed-or-latest":
                return committed(LATEST);
            default:
                try {
                    if (t.startsWith("timestamp:")) {
                        return timestamp(Long.parseLong(t.substring("timestamp:".length())));
                    }
                    return offset(Long.parseLong(t));
                } catch (IllegalArgumentException e) {
                    throw new io.zkmq.error.InvalidConfigException(
                            "Starting position must be 'earliest', 'latest',"
                                    + " 'committed', 'committed-or-latest', 'timestamp:<ms since epoch>' or an offset >= 0, got '"
                                    + text
                                    + "'");
                }
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The offset of an OFFSET position, the time of a TIMESTAMP position, else -1. */
    public long value() {
        return value;
    }

    /** The fallback of COMMITTED and OFFSETS positions, else null. */
    public StartingPosition fallback() {
        return fallback;
    }

    /** The per-partition offsets of an OFFSETS position, else an empty map. */
    public SortedMap<QueuePartition, Long> offsets() {
        return offsets == null ? Collections.emptySortedMap() : offsets;
    }

    /** The position of one partition: OFFSETS becomes that partition's offset or the fallback. */
    public StartingPosition forPartition(QueuePartition partition) {
        switch (kind) {
            case OFFSETS:
                Long offset = offsets.get(partition);
                return offset == null ? fallback : offset(offset);
            case COMMITTED:
                StartingPosition f = fallback.forPartition(partition);
                return f == fallback ? this : committed(f);
            default:
                return this;
        }
    }

    /** The client's start position for a non-committed, per-partition position. */
    public StartPosition toClientPosition() {
        switch (kind) {
            case EARLIEST:
                return StartPosition.earliest();
            case LATEST:
                return StartPosition.latest();
            case OFFSET:
                return StartPosition.offset(value);
            case TIMESTAMP:
                return StartPosition.timestamp(value);
            default:
                throw new IllegalStateException(
                        kind
                                + " is not a per-partition position; resolve it with forPartition first");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StartingPosition s
                && s.kind == kind
                && s.value == value
                && Objects.equals(s.offsets, offsets)
                && Objects.equals(s.fallback, fallback);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value, offsets, fallback);
    }

    @Override
    public String toString() {
        switch (kind) {
            case OFFSET:
                return "offset " + value;
            case TIMESTAMP:
                return "timestamp " + value;
            case OFFSETS:
                return "offsets " + offsets + " else " + fallback;
            case COMMITTED:
                return "committed else " + fallback;
            default:
                return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
