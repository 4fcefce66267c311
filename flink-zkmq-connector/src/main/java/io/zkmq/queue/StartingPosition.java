package io.zkmq.queue;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where to start reading: the earliest retained record, the head, a given offset (in every
 * partition or per partition), the first record at or after a timestamp, or the group's committed
 * offset with a fallback for partitions it has not committed. The one start-position type of the
 * Java consumer, {@code QueueAdmin.resolvePosition}, the Flink source and the Table connector.
 *
 * <p>Immutable and serializable (the Flink source ships it to its tasks). A position that depends
 * on the partition ({@link #offsets}, {@link #committed}) is turned into one partition's position
 * with {@link #forPartition}; the Flink source reader does so once it holds the partition's lock,
 * so {@code committed} reads the offset the previous holder committed last. The Java consumer takes
 * only positions that need no committed offset ({@link #perPartition}): a group consumer resumes
 * from its committed offsets by itself.
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
     * The first record whose timestamp is at least {@code timestampMillis} (ms since the epoch), or
     * the head if there is none. Found by binary search over the batches' maximum timestamps, so it
     * assumes timestamps that grow with offsets, as producer-assigned timestamps do.
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

    /**
     * This position as {@code partition} reads it without a committed offset: {@link
     * #forPartition}, refusing {@code committed}, which only a reader that holds the partition's
     * lock can resolve.
     */
    public StartingPosition perPartition(QueuePartition partition) {
        StartingPosition p = forPartition(partition);
        if (p.kind == Kind.COMMITTED) {
            throw new IllegalArgumentException(
                    "Cannot start "
                            + partition.describe()
                            + " at '"
                            + this
                            + "': use earliest, latest, an offset or a timestamp (a group consumer"
                            + " resumes from its committed offsets by itself)");
        }
        return p;
    }

    /** True for earliest, latest, an offset or a timestamp: the same in every partition. */
    public boolean isPerPartition() {
        return kind != Kind.OFFSETS && kind != Kind.COMMITTED;
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

    /** The offset, or -1 unless this is an OFFSET position. */
    public long offset() {
        return kind == Kind.OFFSET ? value : -1;
    }

    /** The timestamp in ms, or -1 unless this is a TIMESTAMP position. */
    public long timestamp() {
        return kind == Kind.TIMESTAMP ? value : -1;
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
