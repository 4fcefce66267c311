package io.zkmq.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.BackgroundCallback;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates znodes of a fixed payload with asynchronous creates, keeping a bounded number in flight,
 * for a while.
 *
 * <p>Znodes go to {@code <parent>/<directory %06d>/<number %010d>} with {@value
 * #ZNODES_PER_DIRECTORY} per directory, so no directory outgrows ZooKeeper's {@code getChildren}
 * limit when it is cleaned up. A run also stops at {@link #MAX_BYTES} or {@link #MAX_ZNODES}: the
 * server keeps the whole tree in its heap.
 *
 * <p>Not thread-safe: one run at a time.
 */
final class AsyncCreateLoad {

    static final int ZNODES_PER_DIRECTORY = 10_000;
    static final long MAX_BYTES = 2L << 30;
    static final long MAX_ZNODES = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(AsyncCreateLoad.class);
    private static final long RESPONSE_TIMEOUT_SECONDS = 60;

    private final CuratorFramework client;
    private final String parent;
    private final int inFlight;

    AsyncCreateLoad(CuratorFramework client, String parent, int inFlight) {
        this.client = requireNonNull(client, "client");
        this.parent = requireNonNull(parent, "parent");
        if (inFlight <= 0) {
            throw new IllegalArgumentException("inFlight must be positive, got " + inFlight);
        }
        this.inFlight = inFlight;
    }

    /**
     * Creates znodes holding {@code payload} for {@code duration} (or until a cap), waits for the
     * last answers and returns what ZooKeeper acknowledged, timed from the first request to the
     * last acknowledgement.
     *
     * @throws IllegalStateException if a create fails or ZooKeeper stops answering; the message
     *     names the znode
     */
    Throughput run(byte[] payload, Duration duration) throws Exception {
        client.create().creatingParentsIfNeeded().forPath(parent);
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<KeeperException> failure = new AtomicReference<>();
        long start = System.nanoTime();
        AtomicLong lastAcknowledged = new AtomicLong(start);
        BackgroundCallback callback =
                (c, event) -> {
                    Code code = Code.get(event.getResultCode());
                    if (code == Code.OK) {
                        acknowledged.incrementAndGet();
                        lastAcknowledged.accumulateAndGet(System.nanoTime(), Math::max);
                    } else {
                        failure.compareAndSet(null, KeeperException.create(code, event.getPath()));
                    }
                    permits.release();
                };

        long deadline = start + duration.toNanos();
        long issued = 0;
        while (System.nanoTime() - deadline < 0
                && failure.get() == null
                && withinCaps(issued, payload.length)) {
            if (issued % ZNODES_PER_DIRECTORY == 0) {
                client.create().forPath(directory(issued));
            }
            acquire(permits, 1);
            client.create().inBackground(callback).forPath(znode(issued), payload);
            issued++;
        }
        if (!withinCaps(issued, payload.length)) {
            LOG.warn(
                    "Stopped creating under {} at the cap of {} znodes / {} bytes, after {} ms",
                    parent,
                    MAX_ZNODES,
                    MAX_BYTES,
                    (System.nanoTime() - start) / 1_000_000);
        }
        acquire(permits, inFlight);
        if (failure.get() != null) {
            throw new IllegalStateException("Create under " + parent + " failed", failure.get());
        }
        long count = acknowledged.get();
        return new Throughput(
                count, count * payload.length, Duration.ofNanos(lastAcknowledged.get() - start));
    }

    private static boolean withinCaps(long issued, int payloadBytes) {
        return issued < MAX_ZNODES && issued * payloadBytes < MAX_BYTES;
    }

    private String directory(long number) {
        return parent + String.format("/%06d", number / ZNODES_PER_DIRECTORY);
    }

    private String znode(long number) {
        return directory(number) + String.format("/%010d", number);
    }

    private void acquire(Semaphore permits, int count) throws InterruptedException {
        if (!permits.tryAcquire(count, RESPONSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                    "ZooKeeper did not answer a create under "
                            + parent
                            + " within "
                            + RESPONSE_TIMEOUT_SECONDS
                            + " s");
        }
    }
}
