package io.zkmq.client;

import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.flink.annotation.Internal;

/**
 * Reads batches of any number of partitions of one queue with the read protocol of the design
 * notes: paths are computed from batch numbers, up to {@code prefetch} {@code getData} calls per
 * partition are in flight, and a partition that has caught up waits on an {@code exists} watch on
 * the next batch's znode (no polling). A position below the partition's {@code low} (trimmed by
 * retention) is reported as an {@link OffsetOutOfRangeException} for that partition. Batches that
 * were offloaded to the queue's tier and are gone from ZooKeeper are read from the tier objects
 * ({@link TierCursor}) on a small pool of daemon threads this fetcher owns, in the same order and
 * prefetch slots.
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
    private final FetchQueue ready;
    private final FetchSettings settings;
    private final TierAccess tier;
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
        this.ready = ready;
        this.tier = new TierAccess(curator, queue, segmentBatches);
        this.settings = new FetchSettings(curator, queue, segmentBatches, prefetch, ready, tier);
        curator.getConnectionStateListenable().addListener(reconnect);
    }

    /** Starts fetching a partition from a position (replacing any earlier assignment of it). */
    public void assign(int partition, Position position) {
        StagedReferences refs =
                references.computeIfAbsent(
                        partition, p -> new StagedReferences(new QueuePartition(queue, p)));
        refs.forgetFrom(position.seq());
        PartitionFetch fetch =
                new PartitionFetch(
                        settings,
                        partition,
                        position,
                        refs,
                        () -> closed,
                        f -> partitions.get(partition) == f);
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
        tier.close(); // after the partitions: their cursors release their objects first
        wakeUp();
    }

    private void onConnectionState(CuratorFramework c, ConnectionState state) {
        if (state == ConnectionState.RECONNECTED) {
            // Watches do not survive a session expiry: re-check every waiting partition.
            partitions.values().forEach(PartitionFetch::kick);
        }
    }
}
