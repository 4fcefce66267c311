package io.zkmq.client;

import org.apache.flink.annotation.PublicEvolving;

/**
 * The state of one partition: readable range in offsets and batches, and bytes retained
 * (appended bytes between the low-water mark and the head).
 */
@PublicEvolving
public record PartitionInfo(int partition, long lowOffset, long headOffset, long lowSeq, long headSeq, long bytes) {
    public long records() {
        return headOffset - lowOffset;
    }
}
