package io.zkmq.client;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;

/**
 * Where fetched batches wait for their reader. One queue can be shared by the {@link Fetcher}s of
 * several queues, so a reader of many queues blocks in one place. Batches of a partition that was
 * unassigned or re-assigned since they were fetched are dropped here, never handed out.
 */
@Internal
public final class FetchQueue {
    private static final FetchedBatch WAKEUP =
            new FetchedBatch(null, null, -1, -1, null, null, 0, null, null, null);

    private final LinkedBlockingQueue<FetchedBatch> ready = new LinkedBlockingQueue<>();

    /**
     * The next batch of any assigned partition, waiting up to {@code timeout}; null on timeout or
     * {@link #wakeUp}. Call {@link FetchedBatch#consumed} once the batch has been handed on.
     */
    public FetchedBatch poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            FetchedBatch b =
                    ready.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (b == null || b == WAKEUP) {
                return null;
            }
            if (b.isCurrent()) {
                return b;
            }
            // From an earlier assignment of the partition: drop it.
        }
    }

    /** Makes a blocked {@link #poll} return null at once. */
    public void wakeUp() {
        ready.offer(WAKEUP);
    }

    void offer(FetchedBatch batch) {
        ready.offer(batch);
    }

    int countOwnedBy(Object owner) {
        return (int) ready.stream().filter(b -> b.owner == owner).count();
    }
}
