package io.zkmq.cli;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.ZkmqPaths;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Works around a close race in the client. Producers and consumers register znodes through
 * Curator's {@code PersistentNode} in the background; closing them and the client before those
 * operations and their callbacks have run makes Curator log errors (an interrupted background
 * create, "Could not delete node after close"), though nothing is lost. A CLI run can be that
 * short, so it waits, bounded, for the registration and for pending callbacks before closing.
 */
final class QuietClose implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(2);

    private final ZkmqClient client;

    private QuietClose(ZkmqClient client) {
        this.client = client;
    }

    /**
     * Put between the client and its producers/consumers in try-with-resources: on close (after
     * theirs, before the client's) it waits until ZooKeeper callbacks queued so far have run.
     */
    static QuietClose between(ZkmqClient client) {
        return new QuietClose(client);
    }

    /**
     * Put right after the producer in try-with-resources: on close (before the producer's) it
     * waits until the producer's member znode exists, so its background create has run.
     */
    static AutoCloseableQuietly registrationOf(ZkmqClient client, ZkmqProducer producer) {
        return registration(client, ZkmqPaths.member(producer.queue(), "producer", producer.producerId().toString()));
    }

    /** The same for a consumer's member znode. */
    static AutoCloseableQuietly registrationOf(ZkmqClient client, ZkmqConsumer consumer) {
        return registration(client, ZkmqPaths.member(consumer.queue(), "consumer", consumer.memberId()));
    }

    private static AutoCloseableQuietly registration(ZkmqClient client, String path) {
        return () -> {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (client.curator().checkExists().forPath(path) != null) {
                        return;
                    }
                } catch (Exception e) {
                    return; // Only a courtesy to the close that follows.
                }
                LockSupport.parkNanos(5_000_000L);
            }
        };
    }

    /** An {@link AutoCloseable} whose close throws nothing checked. */
    interface AutoCloseableQuietly extends AutoCloseable {
        @Override
        void close();
    }

    /** ZooKeeper runs callbacks in order on one thread: once ours ran, the earlier ones have. */
    @Override
    public void close() {
        CountDownLatch done = new CountDownLatch(1);
        try {
            client.curator().checkExists().inBackground((curator, event) -> done.countDown()).forPath("/");
            done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Only a courtesy to the close that follows.
        }
    }
}
