package io.zkmq.client;

import io.zkmq.queue.QueueMetadata;

import java.util.List;

/** A queue's config (with its version) and the state of each partition. */
public record QueueDescription(QueueMetadata metadata, List<PartitionInfo> partitions) {
    public long totalRecords() {
        return partitions.stream().mapToLong(PartitionInfo::records).sum();
    }

    public long totalBytes() {
        return partitions.stream().mapToLong(PartitionInfo::bytes).sum();
    }
}
