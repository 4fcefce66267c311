package io.zkmq.client;

import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where {@link GroupAdmin#resetOffsets} moves a group: to a {@link StartPosition} (earliest,
 * latest, an offset or a timestamp) or by a number of records from the committed offset.
 */
@PublicEvolving
public final class ResetTarget {
    private final StartPosition position; // null for a shift
    private final long shift;

    private ResetTarget(StartPosition position, long shift) {
        this.position = position;
        this.shift = shift;
    }

    public static ResetTarget to(StartPosition position) {
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
    StartPosition position() {
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
