package io.zkmq.client;

import io.zkmq.queue.QueueMetadata;
import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A queue's config (with its version), the state of each partition, and the usage of its byte quota
 * as ZooKeeper counts it (empty without a quota).
 */
@PublicEvolving
public record QueueDescription(
        QueueMetadata metadata, List<PartitionInfo> partitions, Optional<QuotaUsage> quota) {
    public long totalRecords() {
        return partitions.stream().mapToLong(PartitionInfo::records).sum();
    }

    public long totalBytes() {
        return partitions.stream().mapToLong(PartitionInfo::bytes).sum();
    }

    /** What ZooKeeper holds of the partitions' batches (the hot tails, with tiered storage). */
    public long totalHotBytes() {
        return partitions.stream().mapToLong(PartitionInfo::hotBytes).sum();
    }

    public long totalTieredBytes() {
        return partitions.stream().mapToLong(PartitionInfo::tieredBytes).sum();
    }

    public long totalTieredSegments() {
        return partitions.stream().mapToLong(PartitionInfo::tieredSegments).sum();
    }

    public long totalTieredObjects() {
        return partitions.stream().mapToLong(PartitionInfo::tieredObjects).sum();
    }
}
