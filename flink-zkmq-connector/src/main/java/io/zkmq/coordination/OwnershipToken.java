package io.zkmq.coordination;

/**
 * Proof of holding one partition of a group: the epoch znode's version written when ownership
 * was taken. Every commit checks it in the same transaction, so an older owner cannot commit.
 */
public record OwnershipToken(String queue, String group, int partition, String ownerId, int epoch) {}
