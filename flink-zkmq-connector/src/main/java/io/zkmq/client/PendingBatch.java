package io.zkmq.client;

import io.zkmq.queue.SealedBatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** A sealed batch waiting for (or in) its append. */
final class PendingBatch {
    final SealedBatch sealed;
    final OpenRecords records;
    final long producerSequence;
    final long deadlineNanos;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    volatile String lastError;

    /**
     * Batch number of an attempt whose outcome is not known yet, or -1. While set, the batch may be
     * stored.
     */
    volatile long ambiguousSeq = -1;

    private final AtomicBoolean finished = new AtomicBoolean();

    PendingBatch(
            SealedBatch sealed, OpenRecords records, long producerSequence, long deadlineNanos) {
        this.sealed = sealed;
        this.records = records;
        this.producerSequence = producerSequence;
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * True for the first caller only: the append chain and the deadline watchdog race to finish a
     * batch.
     */
    boolean finish() {
        return finished.compareAndSet(false, true);
    }

    boolean isFinished() {
        return finished.get();
    }

    boolean expired(long nowNanos) {
        return nowNanos - deadlineNanos > 0;
    }
}
