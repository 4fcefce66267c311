package io.zkmq.client;

import io.zkmq.queue.StartingPosition;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where {@link GroupAdmin#resetOffsets} moves a group: to a {@link StartingPosition} (earliest,
 * latest, an offset or a timestamp) or by a number of records from the committed offset.
 */
@PublicEvolving
public final class ResetTarget {
    private final StartingPosition position; // null for a shift
    private final long shift;

    private ResetTarget(StartingPosition position, long shift) {
        this.position = position;
        this.shift = shift;
    }

    public static ResetTarget to(StartingPosition position) {
        return new ResetTarget(Objects.requireNonNull(position, "position"), 0);
    }

    /**
     * {@code records} after (positive) or before (negative) the committed offset, clamped to the
     * retained range; a partition without a committed offset shifts from its earliest record.
     */
    public static ResetTarget shiftBy(long records) {
        return new ResetTarget(null, records);
    }

    /** The position to resolve, or null for a shift. */
    StartingPosition position() {
        return position;
    }

    long shift() {
        return shift;
    }

    @Override
    public String toString() {
        return position != null ? position.toString() : "shift by " + shift;
    }
}
