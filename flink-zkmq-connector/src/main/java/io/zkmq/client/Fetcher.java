package io.zkmq.client;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.BatchFormat;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.ZkmqPaths;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;

/**
 * Reads batches of any number of partitions of one queue with the read protocol of the design
 * notes: paths are computed from batch numbers, up to {@code prefetch} {@code getData} calls per
 * partition are in flight, and a partition that has caught up waits on an {@code exists} watch on
 * the next batch's znode (no polling). A position below the partition's {@code low} (trimmed by
 * retention) is reported as an {@link OffsetOutOfRangeException} for that partition.
 *
 * <p>Fetched batches wait in a {@link FetchQueue} for the reader (its own, or one shared with the
 * fetchers of other queues); a partition fetches ahead only while fewer than {@code prefetch} of
 * its batches are requested or unread ({@link #consumed}). Thread-safe: reader threads poll,
 * callbacks arrive on Curator's event thread.
 */
@Internal
public final class Fetcher implements AutoCloseable {
    private final CuratorFramework curator;
    private final String queue;
    private final int segmentBatches;
    private final int prefetch;
    private final FetchQueue ready;
    private final Map<Integer, PartitionFetch> partitions = new ConcurrentHashMap<>();

    /**
     * Per partition, outlives re-positionings: a re-read of a corrupt batch still finds the first
     * reference.
     */
    private final Map<Integer, StagedReferences> references = new ConcurrentHashMap<>();

    private final ConnectionStateListener reconnect = this::onConnectionState;
    private volatile boolean closed;

    public Fetcher(CuratorFramework curator, String queue, int segmentBatches, int prefetch) {
        this(curator, queue, segmentBatches, prefetch, new FetchQueue());
    }

    /** A fetcher that delivers into a (possibly shared) {@code ready} queue. */
    public Fetcher(
            CuratorFramework curator,
            String queue,
            int segmentBatches,
            int prefetch,
            FetchQueue ready) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
        }
        this.curator = curator;
        this.queue = queue;
        this.segmentBatches = segmentBatches;
        this.prefetch = prefetch;
        this.ready = ready;
        curator.getConnectionStateListenable().addListener(reconnect);
    }

    /** Starts fetching a partition from a position (replacing any earlier assignment of it). */
    public void assign(int partition, Position position) {
        StagedReferences refs =
                references.computeIfAbsent(
                        partition, p -> new StagedReferences(new QueuePartition(queue, p)));
        refs.forgetFrom(position.seq());
        PartitionFetch fetch = new PartitionFetch(partition, position, refs);
        PartitionFetch old = partitions.put(partition, fetch);
        if (old != null) {
            old.stop();
        }
        fetch.issue();
    }

    /** Stops fetching a partition; its batches still in the queue are dropped by {@link #poll}. */
    public void unassign(int partition) {
        PartitionFetch old = partitions.remove(partition);
        references.remove(partition);
        if (old != null) {
            old.stop();
        }
    }

    public boolean isAssigned(int partition) {
        return partitions.containsKey(partition);
    }

    /**
     * The next batch of any assigned partition, waiting up to {@code timeout}; null on timeout or
     * {@link #wakeUp}. Call {@link #consumed} once the batch has been handed on.
     */
    public FetchedBatch poll(Duration timeout) throws InterruptedException {
        return ready.poll(timeout);
    }

    /** The next batch if one is ready now, else null. */
    public FetchedBatch pollNow() throws InterruptedException {
        return poll(Duration.ZERO);
    }

    /** Frees the batch's prefetch slot so its partition fetches further. */
    public void consumed(FetchedBatch batch) {
        batch.consumed();
    }

    /** Makes a blocked {@link #poll} return null at once. */
    public void wakeUp() {
        ready.wakeUp();
    }

    @Override
    public void close() {
        closed = true;
        curator.getConnectionStateListenable().removeListener(reconnect);
        partitions.values().forEach(PartitionFetch::stop);
        partitions.clear();
        references.clear();
        wakeUp();
    }

    private void onConnectionState(CuratorFramework c, ConnectionState state) {
        if (state == ConnectionState.RECONNECTED) {
            // Watches do not survive a session expiry: re-check every waiting partition.
            partitions.values().forEach(PartitionFetch::kick);
        }
    }

    /**
     * A fetch result waiting for its turn: the batch's bytes and, for a reference, the staged
     * batch's.
     */
    private record Arrival(
            KeeperException.Code code, byte[] data, byte[] staged, String stagedPath) {}

    /**
     * Fetch state of one partition. Batch numbers are requested in order; responses are put in
     * order through {@code arrived}; the first missing number turns the partition to waiting.
     */
    private final class PartitionFetch implements FetchedBatch.Owner {
        private final int partition;
        private final QueuePartition where;
        private final StagedReferences references;
        private long nextRequest; // next batch number to request
        private long nextDeliver; // next batch number to hand to the reader
        private long fromOffset; // first offset wanted in batch nextDeliver
        private int outstanding; // requested or unread
        private boolean waiting; // caught up, exists watch armed
        private boolean stopped;
        private int generation; // invalidates responses issued before a wait
        private final TreeMap<Long, Arrival> arrived = new TreeMap<>();

        PartitionFetch(int partition, Position position, StagedReferences references) {
            this.partition = partition;
            this.where = new QueuePartition(queue, partition);
            this.references = references;
            this.nextRequest = position.seq();
            this.nextDeliver = position.seq();
            this.fromOffset = position.offset();
        }

        synchronized void issue() {
            while (!stopped && !waiting && !closed && outstanding < prefetch) {
                long seq = nextRequest++;
                outstanding++;
                int gen = generation;
                try {
                    curator.getData()
                            .inBackground((c, e) -> onData(seq, gen, e))
                            .forPath(path(seq));
                } catch (Exception e) {
                    fail(new ZkmqException("Cannot fetch batch " + seq + " of " + where, e));
                    return;
                }
            }
        }

        private synchronized void onData(long seq, int gen, CuratorEvent event) {
            if (stopped || gen != generation) {
                return;
            }
            KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
            byte[] data = event.getData();
            if (code == KeeperException.Code.OK && Batch.looksLikeReference(data)) {
                // An exactly-once commit: fetch the staged batch it stands for before delivering.
                String stagedPath =
                        new String(
                                data,
                                BatchFormat.HEADER_LENGTH_V1,
                                data.length - BatchFormat.HEADER_LENGTH_V1,
                                StandardCharsets.UTF_8);
                try {
                    curator.getData()
                            .inBackground((c, e) -> onStaged(seq, gen, data, stagedPath, e))
                            .forPath(stagedPath);
                } catch (Exception e) {
                    fail(
                            new CorruptBatchException(
                                    "Batch "
                                            + seq
                                            + " of "
                                            + where
                                            + " references an unreadable staged batch path '"
                                            + stagedPath
                                            + "': "
                                            + e.getMessage()));
                }
                return;
            }
            arrive(seq, new Arrival(code, data, null, null));
        }

        private synchronized void onStaged(
                long seq, int gen, byte[] reference, String stagedPath, CuratorEvent event) {
            if (stopped || gen != generation) {
                return;
            }
            KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
            if (code == KeeperException.Code.NONODE) {
                failMissingStaged(seq, stagedPath);
                return;
            }
            arrive(
                    seq,
                    new Arrival(
                            code,
                            reference,
                            code == KeeperException.Code.OK ? event.getData() : null,
                            stagedPath));
        }

        private void arrive(long seq, Arrival arrival) {
            arrived.put(seq, arrival);
            while (!arrived.isEmpty() && arrived.firstKey() == nextDeliver) {
                Arrival a = arrived.pollFirstEntry().getValue();
                KeeperException.Code code = a.code();
                if (code == KeeperException.Code.OK) {
                    ready.offer(
                            new FetchedBatch(
                                    this,
                                    queue,
                                    partition,
                                    nextDeliver,
                                    path(nextDeliver),
                                    a.data(),
                                    fromOffset,
                                    null,
                                    a.staged(),
                                    a.stagedPath()));
                    nextDeliver++;
                    fromOffset = 0;
                } else if (code == KeeperException.Code.NONODE) {
                    startWaiting();
                    return;
                } else if (ZkErrors.isRetriable(code)) {
                    // Connection trouble: re-request from here once the connection is back.
                    startWaiting();
                    return;
                } else {
                    fail(ZkErrors.translate(code, path(nextDeliver), "fetching " + where, null));
                    return;
                }
            }
        }

        /**
         * A reference whose staged batch is gone: trimmed by retention (out of range), else
         * corrupt.
         */
        private void failMissingStaged(long seq, String stagedPath) {
            String lowPath = ZkmqPaths.low(queue, partition);
            try {
                curator.getData()
                        .inBackground(
                                (c, e) -> {
                                    PartitionLow low =
                                            KeeperException.Code.get(e.getResultCode())
                                                            == KeeperException.Code.OK
                                                    ? PartitionLow.fromJson(e.getData(), lowPath)
                                                    : null;
                                    if (low != null && seq < low.lowSeq()) {
                                        fail(
                                                new OffsetOutOfRangeException(
                                                        "batch "
                                                                + seq
                                                                + " of "
                                                                + where
                                                                + " was trimmed by retention; the earliest readable offset is "
                                                                + low.lowOffset()
                                                                + " (batch "
                                                                + low.lowSeq()
                                                                + ")"));
                                    } else {
                                        fail(
                                                new CorruptBatchException(
                                                        "Batch "
                                                                + seq
                                                                + " of "
                                                                + where
                                                                + " references staged batch "
                                                                + stagedPath
                                                                + ", which does not exist"));
                                    }
                                })
                        .forPath(lowPath);
            } catch (Exception e) {
                fail(new ZkmqException("Cannot read " + lowPath, e));
            }
        }

        /** Caught up (or unsure): drop later requests and watch the next batch's znode. */
        private void startWaiting() {
            generation++;
            arrived.clear();
            outstanding = ready.countOwnedBy(this);
            nextRequest = nextDeliver;
            waiting = true;
            long seq = nextDeliver;
            int gen = generation;
            try {
                curator.checkExists()
                        .usingWatcher(
                                (org.apache.zookeeper.Watcher) (WatchedEvent w) -> onWatch(gen))
                        .inBackground((c, e) -> onExists(seq, gen, e))
                        .forPath(path(seq));
            } catch (Exception e) {
                fail(new ZkmqException("Cannot watch batch " + seq + " of " + where, e));
            }
        }

        private void onExists(long seq, int gen, CuratorEvent event) {
            KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
            if (code == KeeperException.Code.OK) {
                resume(gen); // created between our read and the watch
            } else if (code == KeeperException.Code.NONODE) {
                checkTrimmed(seq, gen);
            }
            // Connection errors: the RECONNECTED listener kicks this partition.
        }

        /** A missing batch is either not written yet, or trimmed: {@code low} tells which. */
        private void checkTrimmed(long seq, int gen) {
            String lowPath = ZkmqPaths.low(queue, partition);
            try {
                curator.getData()
                        .inBackground(
                                (c, e) -> {
                                    KeeperException.Code code =
                                            KeeperException.Code.get(e.getResultCode());
                                    if (code == KeeperException.Code.OK) {
                                        PartitionLow low =
                                                PartitionLow.fromJson(e.getData(), lowPath);
                                        if (seq < low.lowSeq()) {
                                            fail(
                                                    new OffsetOutOfRangeException(
                                                            "batch "
                                                                    + seq
                                                                    + " of "
                                                                    + where
                                                                    + " was trimmed by retention; the earliest readable offset is "
                                                                    + low.lowOffset()
                                                                    + " (batch "
                                                                    + low.lowSeq()
                                                                    + ")"));
                                        }
                                    } else if (code == KeeperException.Code.NONODE) {
                                        fail(
                                                new io.zkmq.error.QueueNotFoundException(
                                                        "Queue '"
                                                                + queue
                                                                + "' partition "
                                                                + partition
                                                                + " no longer exists (no znode "
                                                                + lowPath
                                                                + ")"));
                                    }
                                })
                        .forPath(lowPath);
            } catch (Exception e) {
                fail(new ZkmqException("Cannot read " + lowPath, e));
            }
        }

        private void onWatch(int gen) {
            resume(gen);
        }

        synchronized void kick() {
            if (waiting) {
                resume(generation);
            }
        }

        private synchronized void resume(int gen) {
            if (stopped || gen != generation || !waiting) {
                return;
            }
            waiting = false;
            generation++;
            issue();
        }

        @Override
        public StagedReferences stagedReferences() {
            return references;
        }

        @Override
        public boolean isCurrent() {
            return partitions.get(partition) == this;
        }

        @Override
        public synchronized void release() {
            outstanding--;
            issue();
        }

        private synchronized void fail(ZkmqException error) {
            if (stopped) {
                return;
            }
            stopped = true;
            ready.offer(
                    new FetchedBatch(
                            this,
                            queue,
                            partition,
                            nextDeliver,
                            path(nextDeliver),
                            null,
                            fromOffset,
                            error,
                            null,
                            null));
        }

        synchronized void stop() {
            stopped = true;
            arrived.clear();
        }

        private String path(long seq) {
            return ZkmqPaths.batch(queue, partition, seq, segmentBatches);
        }
    }
}
