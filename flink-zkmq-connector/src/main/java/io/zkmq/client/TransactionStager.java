package io.zkmq.client;

import io.zkmq.error.ZkmqException;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.StagedBatch;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The staging of {@link TransactionStore}: writes an open marker, then the staged batches.
 * Idempotent per attempt, so a transient ZooKeeper failure is retried instead of failing: a retry
 * (ours, or Curator's of a {@code multi()} whose first try was applied) finds the marker and
 * batches of its own attempt already there, reads them back and counts identical ones as written;
 * anything else at those znodes is a conflict and fails naming the znode.
 */
final class TransactionStager {
    private static final int MAX_MARKER_ROUNDS = 50;

    /**
     * Largest marker (it lists every staged batch), leaving room in each commit request for
     * batches.
     */
    static final int MAX_MARKER_BYTES = 512 * 1024;

    private final CuratorFramework curator;
    private final TransactionMarkers markers;
    private final SinkRegistry sinks;
    private final TransactionAborter aborter;
    private final StagedBatchWriter batchWriter;

    TransactionStager(
            CuratorFramework curator,
            TransactionMarkers markers,
            SinkRegistry sinks,
            TransactionAborter aborter) {
        this.curator = curator;
        this.markers = markers;
        this.sinks = sinks;
        this.aborter = aborter;
        this.batchWriter = new StagedBatchWriter(curator);
    }

    TransactionMarker stage(
            QueuePartition partition,
            TransactionId id,
            String attempt,
            UUID producerId,
            long firstProducerSequence,
            List<SealedBatch> batches,
            int retries) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("Transaction " + id + " has no batches to stage");
        }
        String markerPath =
                ZkmqPaths.transaction(partition.queue(), partition.partition(), id.name());
        List<StagedBatch> staged =
                describe(
                        partition,
                        id.name(),
                        attempt,
                        0,
                        producerId,
                        firstProducerSequence,
                        batches);
        TransactionMarker marker =
                TransactionMarker.open(id, attempt, System.currentTimeMillis(), staged);
        checkMarkerSize(partition, marker);
        return TransientRetry.withRetries(
                "staging transaction " + id + " in " + partition.describe(),
                retries,
                () -> {
                    markers.requirePartition(partition);
                    sinks.registerSinkQueue(id.prefix(), partition.queue());
                    createMarker(partition, markerPath, marker);
                    batchWriter.writeStaged(partition, batches, staged);
                    return marker;
                });
    }

    TransactionMarker stageMore(
            QueuePartition partition,
            TransactionMarker current,
            UUID producerId,
            long firstProducerSequence,
            List<SealedBatch> batches,
            int retries) {
        String name = current.id().name();
        String markerPath = ZkmqPaths.transaction(partition.queue(), partition.partition(), name);
        List<StagedBatch> more =
                describe(
                        partition,
                        name,
                        current.attempt(),
                        current.staged().size(),
                        producerId,
                        firstProducerSequence,
                        batches);
        TransactionMarker wanted = current.withMoreStaged(more);
        checkMarkerSize(partition, wanted);
        return TransientRetry.withRetries(
                "staging more of transaction " + name + " in " + partition.describe(),
                retries,
                () -> {
                    extendMarker(partition, markerPath, current, wanted);
                    batchWriter.writeStaged(partition, batches, more);
                    return wanted;
                });
    }

    private static List<StagedBatch> describe(
            QueuePartition partition,
            String txn,
            String attempt,
            int base,
            UUID producerId,
            long firstProducerSequence,
            List<SealedBatch> batches) {
        List<StagedBatch> staged = new ArrayList<>(batches.size());
        for (int i = 0; i < batches.size(); i++) {
            SealedBatch b = batches.get(i);
            staged.add(
                    new StagedBatch(
                            ZkmqPaths.stagedBatch(
                                    partition.queue(),
                                    partition.partition(),
                                    txn,
                                    attempt,
                                    base + i),
                            b.recordCount(),
                            b.sizeInBytes(),
                            b.firstTimestamp(),
                            b.maxTimestamp(),
                            producerId,
                            firstProducerSequence + i));
        }
        return staged;
    }

    static void checkMarkerSize(QueuePartition partition, TransactionMarker marker) {
        int size = marker.toJson().length;
        if (size > MAX_MARKER_BYTES) {
            throw new ZkmqException(
                    "Transaction "
                            + marker.id()
                            + " of "
                            + partition.describe()
                            + " would have "
                            + marker.staged().size()
                            + " staged batches, more than one transaction can list ("
                            + size
                            + " of at most "
                            + MAX_MARKER_BYTES
                            + " marker bytes): checkpoint more"
                            + " often, or raise the queue's maxBatchBytes so that fewer, larger batches hold the same records");
        }
    }

    /**
     * Creates the open marker. One of the same attempt that is already there is ours, from an
     * earlier try. A marker of another attempt was left by an earlier run with the same transaction
     * id: an open one is aborted first; a committed one is only forgotten, its staged batches stay
     * referenced.
     */
    private void createMarker(QueuePartition partition, String markerPath, TransactionMarker marker)
            throws Exception {
        for (int round = 0; round < MAX_MARKER_ROUNDS; round++) {
            try {
                curator.create().creatingParentsIfNeeded().forPath(markerPath, marker.toJson());
                return;
            } catch (KeeperException.NodeExistsException e) {
                Stat stat = new Stat();
                TransactionMarker previous;
                try {
                    previous =
                            TransactionMarker.fromJson(
                                    curator.getData().storingStatIn(stat).forPath(markerPath),
                                    markerPath);
                } catch (KeeperException.NoNodeException gone) {
                    continue;
                }
                if (previous.attempt().equals(marker.attempt())) {
                    requireSameStaging(markerPath, previous, marker);
                    return;
                }
                if (previous.committed()) {
                    try {
                        curator.delete().withVersion(stat.getVersion()).forPath(markerPath);
                    } catch (KeeperException.NoNodeException
                            | KeeperException.BadVersionException raced) {
                        // looked at again in the next round
                    }
                } else {
                    aborter.abort(partition, marker.id().name());
                }
            }
        }
        throw new ZkmqException(
                "Cannot create transaction marker "
                        + markerPath
                        + ": it keeps being re-created"
                        + " concurrently. Is another sink using transactional id prefix '"
                        + marker.id().prefix()
                        + "'?");
    }

    /**
     * Lists the new batches in the marker before they are written, so an abort always finds them.
     */
    private void extendMarker(
            QueuePartition partition,
            String markerPath,
            TransactionMarker current,
            TransactionMarker wanted)
            throws Exception {
        String name = current.id().name();
        try {
            Stat stat = new Stat();
            TransactionMarker stored =
                    TransactionMarker.fromJson(
                            curator.getData().storingStatIn(stat).forPath(markerPath), markerPath);
            if (stored.attempt().equals(wanted.attempt()) && stored.sameStagingAs(wanted)) {
                return; // an earlier try of this call wrote it
            }
            if (!stored.attempt().equals(current.attempt())
                    || stored.state() != TransactionMarker.State.OPEN
                    || stored.committedBatches() > 0
                    || stored.staged().size() != current.staged().size()) {
                throw TransactionCommitter.aborted(
                        partition,
                        name,
                        "it changed while it was being staged (aborted by"
                                + " a restore of its sink or replaced by another writer with the same transactional id prefix)");
            }
            curator.setData()
                    .withVersion(stat.getVersion())
                    .forPath(
                            markerPath,
                            stored.withMoreStaged(
                                            wanted.staged()
                                                    .subList(
                                                            current.staged().size(),
                                                            wanted.staged().size()))
                                    .toJson());
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            throw TransactionCommitter.aborted(
                    partition, name, "it was aborted while it was being staged");
        }
    }

    private static void requireSameStaging(
            String markerPath, TransactionMarker stored, TransactionMarker wanted) {
        if (!stored.sameStagingAs(wanted)) {
            throw new ZkmqException(
                    "Transaction marker "
                            + markerPath
                            + " of attempt "
                            + wanted.attempt()
                            + " already exists with different content (state "
                            + stored.state()
                            + ", "
                            + stored.staged().size()
                            + " staged batches, "
                            + stored.committedBatches()
                            + " committed; this staging has "
                            + wanted.staged().size()
                            + "): another writer or an abort changed it. Is another sink using"
                            + " transactional id prefix '"
                            + wanted.id().prefix()
                            + "'?");
        }
    }
}
