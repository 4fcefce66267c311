package io.zkmq.client;

import io.zkmq.queue.OwnerInfo;
import java.util.Optional;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Who has a partition of a consumer group: the member the group's assignment gives it to (if any)
 * and the owner holding its reader lock now (if any; a killed owner holds it until its ZooKeeper
 * session expires).
 */
@PublicEvolving
public record PartitionHolder(
        int partition, Optional<String> assignedTo, Optional<OwnerInfo> owner) {}
