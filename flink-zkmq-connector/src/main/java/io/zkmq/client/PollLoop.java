package io.zkmq.client;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.QueueRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One {@link ZkmqConsumer#poll}: collects records until maxPollRecords or the deadline, holding
 * back while the consumer must not emit, and raising a failed batch only once the records before it
 * are returned.
 */
final class PollLoop {
    private final String queue;
    private final ConsumerOptions options;
    private final PartitionReads reads;

    /** Group work done on the polling thread before each step (lease events, reconciliation). */
    private final Runnable beforeStep;

    /** True while emitting would be unsafe: a lease may be gone or is being taken. */
    private final BooleanSupplier holdBack;

    private final BooleanSupplier queueDeleted;
    private final AtomicBoolean wakeUpRequested = new AtomicBoolean();

    PollLoop(
            String queue,
            ConsumerOptions options,
            PartitionReads reads,
            Runnable beforeStep,
            BooleanSupplier holdBack,
            BooleanSupplier queueDeleted) {
        this.queue = queue;
        this.options = options;
        this.reads = reads;
        this.beforeStep = beforeStep;
        this.holdBack = holdBack;
        this.queueDeleted = queueDeleted;
    }

    List<QueueRecord> poll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<QueueRecord> out = new ArrayList<>();
        try {
            while (true) {
                if (wakeUpRequested.getAndSet(false)) {
                    return out;
                }
                if (queueDeleted.getAsBoolean()) {
                    throw new QueueNotFoundException(
                            "Queue '" + queue + "' was deleted while this consumer was reading it");
                }
                beforeStep.run();
                if (holdBack.getAsBoolean()) {
                    // Stop emitting: our leases may already belong to someone else, or are being
                    // taken back.
                    if (waitUntil(deadline)) {
                        return out;
                    }
                    continue;
                }
                reads.drainInto(out);
                if (out.size() >= options.maxPollRecords()) {
                    return out;
                }
                long remaining = deadline - System.nanoTime();
                FetchedBatch b = reads.takeDeferred();
                if (b == null) {
                    b =
                            out.isEmpty() && remaining > 0
                                    ? reads.fetcher().poll(Duration.ofNanos(remaining))
                                    : reads.fetcher().pollNow();
                }
                if (b == null) {
                    if (!out.isEmpty() || System.nanoTime() >= deadline) {
                        return out;
                    }
                    continue;
                }
                if (!out.isEmpty() && b.error() != null) {
                    reads.defer(b);
                    return out;
                }
                try {
                    reads.accept(b);
                } catch (CorruptBatchException e) {
                    if (out.isEmpty()) {
                        throw e;
                    }
                    reads.defer(b);
                    return out;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkmqException("Interrupted while polling queue '" + queue + "'", e);
        }
    }

    /** Makes a blocked poll return at once (with what it has collected). Thread-safe. */
    void wakeUp() {
        wakeUpRequested.set(true);
        reads.fetcher().wakeUp();
    }

    private boolean waitUntil(long deadline) throws InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return true;
        }
        long slice = Math.min(remaining, 50_000_000L);
        if (!reads.hasDeferred()) {
            // Wakes on a connection change or lease event (both wake the fetcher) or at the
            // deadline. A
            // batch fetched meanwhile is kept for when emitting resumes: after a lost session the
            // fetcher reads on before the leases are back.
            reads.defer(reads.fetcher().poll(Duration.ofNanos(slice)));
        } else {
            LockSupport.parkNanos(slice);
        }
        return System.nanoTime() >= deadline;
    }
}
