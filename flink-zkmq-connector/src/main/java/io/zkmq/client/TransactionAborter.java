package io.zkmq.client;

import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StagedBatch;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.queue.ZnodeOp;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Aborts a transaction that is not committed: claims its marker (a version-checked update to
 * ABORTING, so a concurrent commit either wins or fails), deletes its staged batches, then the
 * marker. Blocking, thread-safe.
 */
final class TransactionAborter {
    private static final int DELETES_PER_TRANSACTION = 500;

    private final CuratorFramework curator;
    private final TransactionCommitter committer;

    TransactionAborter(CuratorFramework curator, TransactionCommitter committer) {
        this.curator = curator;
        this.committer = committer;
    }

    boolean abort(QueuePartition partition, String txn) {
        String markerPath = ZkmqPaths.transaction(partition.queue(), partition.partition(), txn);
        try {
            for (int round = 0; round < TransactionCommitter.MAX_COMMIT_ATTEMPTS; round++) {
                Stat stat = new Stat();
                TransactionMarker marker;
                try {
                    marker =
                            TransactionMarker.fromJson(
                                    curator.getData().storingStatIn(stat).forPath(markerPath),
                                    markerPath);
                } catch (KeeperException.NoNodeException e) {
                    return false;
                }
                if (marker.committed()) {
                    return false;
                }
                if (marker.partlyCommitted()) {
                    // Its checkpoint completed and part of it is visible: only finishing the commit
                    // is right.
                    committer.commit(partition, txn, marker.attempt());
                    return false;
                }
                int version = stat.getVersion();
                if (marker.state() == TransactionMarker.State.OPEN) {
                    try {
                        version =
                                curator.setData()
                                        .withVersion(version)
                                        .forPath(markerPath, marker.aborting().toJson())
                                        .getVersion();
                    } catch (KeeperException.BadVersionException
                            | KeeperException.NoNodeException e) {
                        continue; // committed or changed meanwhile: look again
                    }
                }
                deleteStaged(marker);
                try {
                    curator.delete().withVersion(version).forPath(markerPath);
                } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
                    // a concurrent abort finished first
                }
                return true;
            }
            throw new ZkmqException(
                    "Aborting transaction "
                            + txn
                            + " of "
                            + partition.describe()
                            + " lost "
                            + TransactionCommitter.MAX_COMMIT_ATTEMPTS
                            + " races in a row");
        } catch (ZkmqException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e, "aborting transaction " + txn + " of " + partition.describe());
        }
    }

    private void deleteStaged(TransactionMarker marker) throws Exception {
        List<ZnodeOp> ops = new ArrayList<>();
        for (StagedBatch s : marker.staged()) {
            if (curator.checkExists().forPath(s.path()) != null) {
                ops.add(new ZnodeOp.Delete(s.path(), ZnodeOp.ANY_VERSION));
            }
            if (ops.size() == DELETES_PER_TRANSACTION) {
                deleteAll(ops);
                ops.clear();
            }
        }
        deleteAll(ops);
    }

    private void deleteAll(List<ZnodeOp> ops) throws Exception {
        if (ops.isEmpty()) {
            return;
        }
        try {
            curator.transaction().forOperations(CuratorOps.of(curator, ops));
        } catch (KeeperException.NoNodeException e) {
            // a concurrent abort deleted some: delete the rest one by one
            for (ZnodeOp op : ops) {
                try {
                    curator.delete().forPath(op.path());
                } catch (KeeperException.NoNodeException ignored) {
                    // already gone
                }
            }
        }
    }
}
