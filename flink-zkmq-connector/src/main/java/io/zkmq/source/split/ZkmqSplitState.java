package io.zkmq.source.split;

import io.zkmq.queue.Position;
import org.apache.flink.annotation.Internal;

/**
 * The mutable progress of a {@link ZkmqSplit} inside a reader: the position after the last emitted
 * record. Only the reader's mailbox thread touches it.
 */
@Internal
public final class ZkmqSplitState {
    private final ZkmqSplit split;
    private Position position;

    public ZkmqSplitState(ZkmqSplit split) {
        this.split = split;
        this.position = split.position().orElse(null);
    }

    public ZkmqSplit split() {
        return split;
    }

    /** Records that the next record to emit is at {@code offset} in batch {@code seq}. */
    public void advanceTo(long seq, long offset) {
        this.position = new Position(seq, offset);
    }

    /**
     * Sets the position the reader resolved before emitting anything (no-op once records flowed).
     */
    public void resolvedAt(Position resolved) {
        if (position == null) {
            position = resolved;
        }
    }

    /** The position to resume from, or null if nothing was read or resolved yet. */
    public Position position() {
        return position;
    }

    public ZkmqSplit toSplit() {
        return position == null ? split : split.withPosition(position);
    }
}
