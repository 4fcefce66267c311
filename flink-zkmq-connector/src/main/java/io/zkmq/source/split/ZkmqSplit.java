package io.zkmq.source.split;

import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import java.util.Objects;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One partition of one queue, read by exactly one reader at a time. Immutable: the reader's
 * progress lives in {@link ZkmqSplitState}, which turns back into a split (with the position to
 * resume from) at every checkpoint.
 *
 * <p>A split that has never been read has no position, only a per-partition {@link
 * StartingPosition} that the reader resolves once it holds the partition's lock. The stop offset is
 * exclusive; {@link #NO_STOP} for unbounded reading.
 */
@Internal
public final class ZkmqSplit implements SourceSplit {
    public static final long NO_STOP = Long.MAX_VALUE;

    private final QueuePartition partition;
    private final Position position;
    private final StartingPosition start;
    private final long stopOffset;

    private ZkmqSplit(
            QueuePartition partition, Position position, StartingPosition start, long stopOffset) {
        this.partition = Objects.requireNonNull(partition, "partition");
        this.position = position;
        this.start = Objects.requireNonNull(start, "start");
        if (start.kind() == StartingPosition.Kind.OFFSETS) {
            throw new IllegalArgumentException(
                    "A split's starting position must be per partition, got " + start);
        }
        if (stopOffset < 0) {
            throw new IllegalArgumentException(
                    "Stop offset of " + partition + " must be >= 0, got " + stopOffset);
        }
        this.stopOffset = stopOffset;
    }

    /** A split not read yet, starting at {@code start} (resolved by the reader). */
    public static ZkmqSplit unread(
            QueuePartition partition, StartingPosition start, long stopOffset) {
        return new ZkmqSplit(partition, null, start.forPartition(partition), stopOffset);
    }

    /** This split resuming at {@code position}. */
    public ZkmqSplit withPosition(Position position) {
        return new ZkmqSplit(
                partition, Objects.requireNonNull(position, "position"), start, stopOffset);
    }

    static ZkmqSplit of(
            QueuePartition partition, Position position, StartingPosition start, long stopOffset) {
        return new ZkmqSplit(partition, position, start, stopOffset);
    }

    @Override
    public String splitId() {
        return partition.splitId();
    }

    public QueuePartition queuePartition() {
        return partition;
    }

    public String queue() {
        return partition.queue();
    }

    public int partition() {
        return partition.partition();
    }

    /** Where to resume, if this split has been read (or resolved) before. */
    public Optional<Position> position() {
        return Optional.ofNullable(position);
    }

    /** Where to start if there is no {@link #position()}. */
    public StartingPosition start() {
        return start;
    }

    public long stopOffset() {
        return stopOffset;
    }

    public boolean isBounded() {
        return stopOffset != NO_STOP;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZkmqSplit s
                && s.partition.equals(partition)
                && Objects.equals(s.position, position)
                && s.start.equals(start)
                && s.stopOffset == stopOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(partition, position, start, stopOffset);
    }

    @Override
    public String toString() {
        return "ZkmqSplit{"
                + partition
                + ", "
                + (position != null ? "at " + position : "start " + start)
                + (isBounded() ? ", stop before offset " + stopOffset : "")
                + "}";
    }
}
