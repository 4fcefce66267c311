package io.zkmq.coordination;

import org.apache.flink.annotation.Internal;

/**
 * Proof of holding one partition of a group: the epoch znode's version written when ownership was
 * taken. Every commit checks it in the same transaction, so an older owner cannot commit.
 */
@Internal
public record OwnershipToken(
        String queue, String group, int partition, String ownerId, int epoch) {}
