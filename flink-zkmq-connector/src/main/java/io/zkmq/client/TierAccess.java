package io.zkmq.client;

import io.zkmq.coordination.TierIndex;
import io.zkmq.error.CorruptObjectException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.TierUnavailableException;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.tier.TierObjectReader;
import io.zkmq.tier.TierObjectStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.flink.core.fs.Path;
import org.apache.zookeeper.KeeperException;

/**
 * What the partitions of one {@link Fetcher} share to read tiered batches: the queue's tier (from
 * its config's {@code tierUri} and the client's namespace), index entry look-ups, and a small pool
 * of daemon threads for tier I/O, so that neither Curator's event thread nor a reader thread ever
 * waits on the tier file system. The pool starts with the first tiered read; position look-ups
 * ({@link TierPositions}) use the rest on the caller's thread.
 */
final class TierAccess implements AutoCloseable {
    /** Threads for tier I/O per fetcher: reads are sequential per partition. */
    static final int THREADS = 2;

    /** Attempts of a tier read before its error is delivered, and the first pause between two. */
    static final int ATTEMPTS = 5;

    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final CuratorFramework curator;
    private final String queue;
    private final String namespace;
    private final int segmentBatches;
    private ScheduledThreadPoolExecutor pool; // created by the first tiered read
    private boolean closed;
    private volatile TierObjectStore store; // of the tierUri read last
    private volatile String storeUri;

    TierAccess(CuratorFramework curator, String queue, int segmentBatches) {
        this.curator = curator;
        this.queue = queue;
        this.namespace = curator.getNamespace();
        this.segmentBatches = segmentBatches;
    }

    /** The tier I/O pool; a closed access gives a pool that refuses work. */
    synchronized ScheduledThreadPoolExecutor pool() {
        if (pool == null) {
            int id = POOLS.incrementAndGet();
            AtomicInteger threads = new AtomicInteger();
            pool =
                    new ScheduledThreadPoolExecutor(
                            THREADS,
                            r -> {
                                Thread t =
                                        new Thread(
                                                r,
                                                "zkmq-tier-read-"
                                                        + queue
                                                        + "-"
                                                        + id
                                                        + "-"
                                                        + threads.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
            // Retries pending at close are dropped: their partitions are stopped.
            pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            if (closed) {
                pool.shutdown();
            }
        }
        return pool;
    }

    String queue() {
        return queue;
    }

    /** The registered object holding batch {@code seq}, if any. */
    Optional<TierIndex.Registered> entryFor(int partition, long seq) throws Exception {
        return TierIndex.floor(curator, queue, partition, segmentBatches, seq);
    }

    PartitionLow readLow(int partition) throws Exception {
        String path = ZkmqPaths.low(queue, partition);
        try {
            return PartitionLow.fromJson(curator.getData().forPath(path), path);
        } catch (KeeperException.NoNodeException e) {
            throw new QueueNotFoundException(
                    new QueuePartition(queue, partition)
                            + " no longer exists (no znode "
                            + path
                            + ")");
        }
    }

    /**
     * The tier of the queue as its config says now (a changed {@code tierUri} is picked up at the
     * next object).
     */
    TierObjectStore store() throws Exception {
        String configPath = ZkmqPaths.queue(queue);
        QueueConfig config;
        try {
            config = QueueConfig.fromJson(curator.getData().forPath(configPath), configPath);
        } catch (KeeperException.NoNodeException e) {
            throw new QueueNotFoundException("Queue '" + queue + "' no longer exists");
        }
        String uri =
                config.tierUri()
                        .orElseThrow(
                                () ->
                                        new TierUnavailableException(
                                                "Queue '"
                                                        + queue
                                                        + "' has tiered batches (index entries under "
                                                        + ZkmqPaths.queue(queue)
                                                        + "/partitions/*/tier) but no tierUri in its config",
                                                null));
        TierObjectStore s = store;
        if (s == null || !uri.equals(storeUri)) {
            storeUri = uri;
            try {
                s = new TierObjectStore(new Path(uri), namespace);
            } catch (LinkageError e) {
                throw noFileSystems(uri, e);
            }
            store = s;
        }
        return s;
    }

    /** The tier URI the last {@link #store} call used, for error messages. */
    String tierUri() {
        return storeUri;
    }

    /**
     * Opens the object of {@code registered} and checks that it is the registered one (its footer
     * CRC, seq range and length).
     */
    TierObjectReader open(int partition, TierIndex.Registered registered) throws Exception {
        TierObjectStore s = store();
        TierObjectEntry entry = registered.entry();
        Path path = s.resolve(entry.path());
        TierObjectReader reader;
        try {
            reader = s.open(queue, partition, path);
        } catch (LinkageError e) {
            throw noFileSystems(storeUri, e);
        }
        if (!entry.matches(reader.footer())) {
            throw new CorruptObjectException(
                    "Corrupt tier object "
                            + path
                            + " of "
                            + new QueuePartition(queue, partition)
                            + ": its footer "
                            + reader.footer()
                            + " is not the one registered at "
                            + registered.znode()
                            + " ("
                            + entry
                            + ")");
        }
        return reader;
    }

    /**
     * A process without Flink's file systems (e.g. a CLI without flink-core) fails clearly instead
     * of losing a tier thread to an Error.
     */
    private TierUnavailableException noFileSystems(String uri, LinkageError e) {
        return new TierUnavailableException(
                "Cannot read the tier "
                        + uri
                        + " of queue '"
                        + queue
                        + "': Flink's file system classes (flink-core, and the tier's file system"
                        + " plugin) are not on this process's class path",
                e);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) {
            pool.shutdown();
        }
    }
}
