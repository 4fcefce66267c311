package io.zkmq.queue;

import org.apache.flink.annotation.Internal;

/**
 * One sparse index entry of a tier object: batch {@code seq} starts at byte {@code position} with
 * offset {@code baseOffset}. {@code maxTimestampThrough} is the largest record timestamp of every
 * batch from the object's first batch up to (not including) the next entry's batch: a running
 * maximum, so it never decreases and the first entry reaching a timestamp is found by binary search
 * (see {@link TierObjectIndex#firstReaching}).
 */
@Internal
public record TierIndexEntry(long seq, long baseOffset, long maxTimestampThrough, long position) {
    public TierIndexEntry {
        if (seq < 0 || baseOffset < 0 || position < 0) {
            throw new IllegalArgumentException(
                    "Negative seq "
                            + seq
                            + ", base offset "
                            + baseOffset
                            + " or position "
                            + position);
        }
    }
}
