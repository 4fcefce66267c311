package io.zkmq.client;

import io.zkmq.error.ConcurrentUpdateException;
import io.zkmq.error.TransactionAbortedException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.AppendPlan;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.ReferenceBatch;
import io.zkmq.queue.StagedBatch;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.queue.ZnodeOp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Commits a staged transaction (design section 5): one {@link AppendPlan} of a reference batch per
 * staged batch (the normal append, so offsets stay dense and concurrent producers are fine), plus,
 * per batch, a check that the staged znode still exists and its refs index entry; then, in the same
 * {@code multi()}, the marker flipped to committed under a version check. Blocking, thread-safe.
 */
final class TransactionCommitter {
    static final int MAX_COMMIT_ATTEMPTS = 50;

    /**
     * Request bytes per commit multi(); ZooKeeper drops a connection whose request exceeds 1 MiB.
     */
    private static final int COMMIT_CHUNK_BYTES = 900 * 1024;

    private final CuratorFramework curator;
    private final QueueAdmin admin;
    private final TransactionMarkers markers;

    TransactionCommitter(CuratorFramework curator, QueueAdmin admin, TransactionMarkers markers) {
        this.curator = curator;
        this.admin = admin;
        this.markers = markers;
    }

    TransactionStore.CommitOutcome commit(QueuePartition partition, String txn, String attempt) {
        String markerPath = ZkmqPaths.transaction(partition.queue(), partition.partition(), txn);
        String headPath = ZkmqPaths.head(partition.queue(), partition.partition());
        for (int round = 0; round < MAX_COMMIT_ATTEMPTS; round++) {
            try {
                Stat markerStat = new Stat();
                TransactionMarker marker = null;
                try {
                    marker =
                            TransactionMarker.fromJson(
                                    curator.getData().storingStatIn(markerStat).forPath(markerPath),
                                    markerPath);
                } catch (KeeperException.NoNodeException e) {
                    // not ours any more: decided below
                }
                if (marker == null || !marker.attempt().equals(attempt)) {
                    markers.requirePartition(partition);
                    if (curator.checkExists()
                                    .forPath(
                                            ZkmqPaths.stagedBatch(
                                                    partition.queue(),
                                                    partition.partition(),
                                                    txn,
                                                    attempt,
                                                    0))
                            != null) {
                        return TransactionStore.CommitOutcome.ALREADY_COMMITTED;
                    }
                    throw aborted(
                            partition,
                            txn,
                            "its marker "
                                    + markerPath
                                    + " and staged batches are gone"
                                    + " (unless it was committed so long ago that retention has since removed its records)");
                }
                if (marker.committed()) {
                    return TransactionStore.CommitOutcome.ALREADY_COMMITTED;
                }
                if (marker.state() == TransactionMarker.State.ABORTING) {
                    throw aborted(partition, txn, "an abort has claimed it");
                }
                int segmentBatches = admin.readConfig(partition.queue()).config().segmentBatches();
                PartitionHead head =
                        PartitionHead.fromJson(curator.getData().forPath(headPath), headPath);
                AppendPlan.Builder append =
                        AppendPlan.at(
                                partition.queue(), partition.partition(), segmentBatches, head);
                List<StagedBatch> staged = marker.staged();
                int end = marker.committedBatches();
                // The marker is rewritten in every request, so it counts against the limit too.
                int requestBytes = marker.toJson().length;
                // Up to COMMIT_CHUNK_BYTES per request: a larger transaction is committed in
                // several,
                // each recording its progress in the marker (so a retry continues where it
                // stopped).
                while (end < staged.size()
                        && (end == marker.committedBatches()
                                || requestBytes + commitCost(staged.get(end))
                                        <= COMMIT_CHUNK_BYTES)) {
                    StagedBatch s = staged.get(end);
                    requestBytes += commitCost(s);
                    PartitionHead at = append.next();
                    append.with(new ZnodeOp.Check(s.path(), ZnodeOp.ANY_VERSION))
                            .append(
                                    ReferenceBatch.encode(at.nextOffset(), s),
                                    s.records(),
                                    s.bytes())
                            .with(
                                    new ZnodeOp.Create(
                                            ZkmqPaths.reference(
                                                    partition.queue(),
                                                    partition.partition(),
                                                    at.nextSeq()),
                                            s.path().getBytes(StandardCharsets.UTF_8)));
                    end++;
                }
                boolean last = end == staged.size();
                List<ZnodeOp> ops = new ArrayList<>(append.build().ops());
                ops.add(
                        new ZnodeOp.SetData(
                                markerPath,
                                (last
                                                ? marker.committedAt(System.currentTimeMillis())
                                                : marker.committedUpTo(end))
                                        .toJson(),
                                markerStat.getVersion()));
                ensureReferencesDir(partition);
                curator.transaction().forOperations(CuratorOps.of(curator, ops));
                if (!last) {
                    round = -1; // progress, not a lost race: the next chunk gets a full set of
                    // attempts
                    continue;
                }
                return TransactionStore.CommitOutcome.COMMITTED;
            } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
                // Another writer took the batch number, or the marker changed: look again.
            } catch (KeeperException.NoNodeException e) {
                // A staged batch or the marker vanished (aborted), or the queue went: the next look
                // tells which.
                try {
                    verifyStagedComplete(partition, txn);
                } catch (ZkmqException z) {
                    throw z;
                } catch (Exception ignored) {
                    // the next attempt looks again
                }
            } catch (KeeperException.ConnectionLossException
                    | KeeperException.OperationTimeoutException e) {
                // Unknown outcome: the marker says whether it landed.
            } catch (ZkmqException e) {
                throw e;
            } catch (Exception e) {
                throw ZkErrors.translate(
                        e, "committing transaction " + txn + " to " + partition.describe());
            }
        }
        throw new ConcurrentUpdateException(
                "Committing transaction "
                        + txn
                        + " to "
                        + partition.describe()
                        + " lost "
                        + MAX_COMMIT_ATTEMPTS
                        + " races against concurrent appends in a row; the commit will be retried");
    }

    /**
     * Bytes one staged batch adds to a commit request: paths of the check, reference and index, and
     * the reference.
     */
    private static int commitCost(StagedBatch s) {
        return 4 * s.path().length() + 2 * 200;
    }

    /** A marker whose staged batches are partly gone can never be committed: say so. */
    private void verifyStagedComplete(QueuePartition partition, String txn) throws Exception {
        Optional<TransactionMarker> marker = markers.read(partition, txn);
        if (marker.isEmpty() || marker.get().committed()) {
            return;
        }
        for (StagedBatch s : marker.get().staged()) {
            if (curator.checkExists().forPath(s.path()) == null) {
                throw aborted(partition, txn, "its staged batch " + s.path() + " was deleted");
            }
        }
    }

    private void ensureReferencesDir(QueuePartition partition) throws Exception {
        String dir = ZkmqPaths.references(partition.queue(), partition.partition());
        if (curator.checkExists().forPath(dir) == null) {
            try {
                curator.create().forPath(dir);
            } catch (KeeperException.NodeExistsException ignored) {
                // created concurrently
            }
        }
    }

    static TransactionAbortedException aborted(QueuePartition partition, String txn, String why) {
        return new TransactionAbortedException(
                "Transaction "
                        + txn
                        + " of "
                        + partition.describe()
                        + " cannot be committed: "
                        + why
                        + ". It was aborted by a restore of its sink, by 'zkmq txn abort', or"
                        + " by the maintenance leader's abandoned-transaction timeout. Its records are NOT in the queue");
    }
}
