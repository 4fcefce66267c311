package io.zkmq.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.queue.QueueConsumer;
import org.apache.curator.framework.state.ConnectionState;

/**
 * Counts the messages a Curator queue hands over until an expected number arrived.
 *
 * <p>Curator calls {@link #consumeMessage} from the queue's consumer thread and {@link
 * #stateChanged} from its connection-state thread; the benchmark thread reads the counters.
 */
final class CountingQueueConsumer implements QueueConsumer<byte[]> {

    private final long expected;
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong lastTakeNanos = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile ConnectionState connectionProblem;

    CountingQueueConsumer(long expected) {
        this.expected = expected;
        if (expected <= 0) {
            done.countDown();
        }
    }

    @Override
    public void consumeMessage(byte[] message) {
        bytes.addAndGet(message.length);
        lastTakeNanos.set(System.nanoTime());
        if (taken.incrementAndGet() >= expected) {
            done.countDown();
        }
    }

    @Override
    public void stateChanged(CuratorFramework client, ConnectionState newState) {
        if (!newState.isConnected()) {
            connectionProblem = newState;
            done.countDown();
        }
    }

    /**
     * Waits until every expected message was taken, for at most {@code timeout}; true if they all
     * were.
     */
    boolean awaitAll(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && taken.get() >= expected;
    }

    /**
     * Throws if the connection to ZooKeeper was suspended or lost while taking: the count would
     * mean nothing.
     */
    void failIfConnectionLost(String queuePath) {
        ConnectionState problem = connectionProblem;
        if (problem != null) {
            throw new IllegalStateException(
                    "Connection to ZooKeeper went "
                            + problem
                            + " while taking from the Curator queue "
                            + queuePath);
        }
    }

    long taken() {
        return taken.get();
    }

    long bytes() {
        return bytes.get();
    }

    long lastTakeNanos() {
        return lastTakeNanos.get();
    }
}
