package io.zkmq.coordination;

import io.zkmq.queue.QueuePartition;

/** One lease asked for; fields other than token are touched on the lease thread only. */
final class Lease {
    final QueuePartition key;
    final LeaseListener listener;
    final PartitionOwnership ownership;
    volatile OwnershipToken token;
    boolean lost;

    /** Bumped to stop the attempts of an earlier take. */
    int generation;

    Lease(QueuePartition key, LeaseListener listener, PartitionOwnership ownership) {
        this.key = key;
        this.listener = listener;
        this.ownership = ownership;
    }
}
