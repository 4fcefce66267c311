package io.zkmq.client;

import org.apache.flink.annotation.PublicEvolving;

/**
 * The state of one partition: readable range in offsets and batches, bytes retained (appended bytes
 * between the low-water mark and the head, tier included), and with tiered storage the objects,
 * bytes (object lengths) and segments registered in the tier and the hot bytes ZooKeeper still
 * holds (the head's bytes minus the start of the first segment still in ZooKeeper).
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
        long tieredBytes,
        long tieredSegments,
        long hotBytes) {
    /** A partition with nothing in the tier: ZooKeeper holds every retained byte. */
    public PartitionInfo(
            int partition, long lowOffset, long headOffset, long lowSeq, long headSeq, long bytes) {
        this(partition, lowOffset, headOffset, lowSeq, headSeq, bytes, 0, 0, 0, bytes);
    }

    public long records() {
        return headOffset - lowOffset;
    }
}
