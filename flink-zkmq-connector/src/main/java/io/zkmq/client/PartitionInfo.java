package io.zkmq.client;

import org.apache.flink.annotation.PublicEvolving;

/**
 * The state of one partition: readable range in offsets and batches, bytes retained (appended bytes
 * between the low-water mark and the head), and the objects and bytes registered in the tier
 * (tiered storage; these batches are still in ZooKeeper too until hot segments are deleted).
 */
@PublicEvolving
public record PartitionInfo(
        int partition,
        long lowOffset,
        long headOffset,
        long lowSeq,
        long headSeq,
        long bytes,
        long tieredObjects,
        long tieredBytes) {
    /** A partition with nothing in the tier. */
    public PartitionInfo(
            int partition, long lowOffset, long headOffset, long lowSeq, long headSeq, long bytes) {
        this(partition, lowOffset, headOffset, lowSeq, headSeq, bytes, 0, 0);
    }

    public long records() {
        return headOffset - lowOffset;
    }
}
