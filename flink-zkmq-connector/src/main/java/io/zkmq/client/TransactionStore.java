package io.zkmq.client;

import io.zkmq.error.ConcurrentUpdateException;
import io.zkmq.queue.SinkSettings;
import io.zkmq.error.ZkErrors;
import io.zkmq.queue.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.TransactionAbortedException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.ReferenceBatch;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.StagedBatch;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Set;

/**
 * Exactly-once transactions of one partition (design section 5). {@link #stage} writes batches as
 * staged znodes under an open marker: durable, invisible to readers. {@link #commit} makes them
 * visible in one {@code multi()}: a reference batch per staged batch (the normal append protocol,
 * so offsets stay dense and concurrent producers are fine), the refs index, the head, a check that
 * every staged znode still exists, and the marker flipped to committed under a version check. A
 * repeated commit finds the marker committed and reports {@link CommitOutcome#ALREADY_COMMITTED};
 * a commit of an aborted transaction throws {@link TransactionAbortedException}, never succeeds
 * silently. Payload bytes are written once, at staging.
 *
 * <p>Stateless apart from its client: methods are blocking and thread-safe.
 */
public final class TransactionStore {
    /** How often {@link #stage} and {@link #stageMore} retry a transient failure unless told otherwise. */
    public static final int DEFAULT_STAGE_RETRIES = 10;
    private static final int MAX_COMMIT_ATTEMPTS = 50;
    private static final int DELETES_PER_TRANSACTION = 500;
    /** Request bytes per commit multi(); ZooKeeper drops a connection whose request exceeds 1 MiB. */
    private static final int COMMIT_CHUNK_BYTES = 900 * 1024;
    /** Largest marker (it lists every staged batch), leaving room in each commit request for batches. */
    static final int MAX_MARKER_BYTES = 512 * 1024;

    private final CuratorFramework curator;
    private final QueueAdmin admin;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final TransactionStager stager;

    TransactionStore(CuratorFramework curator, QueueAdmin admin) {
        this.curator = curator;
        this.admin = admin;
        this.stager = new TransactionStager(curator, this);
    }

    public enum CommitOutcome { COMMITTED, ALREADY_COMMITTED }

    /** A transaction found in ZooKeeper, for listing and operations. */
    public record Listed(String queue, int partition, TransactionMarker marker) {}

    /**
     * Stages {@code batches} of one partition durably and invisibly, under a new attempt, retrying
     * transient failures {@value #DEFAULT_STAGE_RETRIES} times: see {@link #stage(String, int,
     * TransactionId, String, UUID, long, List, int)}.
     */
    public TransactionMarker stage(String queue, int partition, TransactionId id, UUID producerId,
                                   long firstProducerSequence, List<SealedBatch> batches) {
        return stage(queue, partition, id, newAttempt(), producerId, firstProducerSequence, batches,
                DEFAULT_STAGE_RETRIES);
    }

    /**
     * Stages {@code batches} of one partition durably and invisibly: first the open marker (so an
     * interrupted staging is always found and aborted), then the staged batches. A marker of the same
     * transaction id left by an earlier attempt is replaced: an open one is aborted first; a committed
     * one (a later run reusing the id) is only forgotten, its staged batches stay referenced.
     *
     * <p>Idempotent for the same {@code attempt} and batches: what an earlier try already wrote is read
     * back and, if identical, counted as done; different content there fails as a conflict. So a
     * transient failure (ZooKeeper unreachable, {@link ZkErrors#isTransient}) is retried up to
     * {@code retries} times, one second apart, before it is thrown.
     *
     * @param attempt a fresh {@link #newAttempt()} per staging; a retry of the same staging passes the same
     */
    public TransactionMarker stage(String queue, int partition, TransactionId id, String attempt, UUID producerId,
                                   long firstProducerSequence, List<SealedBatch> batches, int retries) {
        return stager.stage(queue, partition, id, attempt, producerId, firstProducerSequence, batches, retries);
    }

    /** A new random attempt id for {@link #stage}. */
    public static String newAttempt() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    /**
     * Stages more batches into an open transaction created by {@link #stage} (a writer that buffers
     * more than it wants to hold in memory between checkpoints), retrying transient failures {@value
     * #DEFAULT_STAGE_RETRIES} times.
     */
    public TransactionMarker stageMore(String queue, int partition, TransactionMarker current, UUID producerId,
                                       long firstProducerSequence, List<SealedBatch> batches) {
        return stageMore(queue, partition, current, producerId, firstProducerSequence, batches, DEFAULT_STAGE_RETRIES);
    }

    /**
     * Stages more batches into an open transaction created by {@link #stage}. The marker lists the new
     * batches before they are written, so an abort always finds them. Retried like {@link #stage}.
     */
    public TransactionMarker stageMore(String queue, int partition, TransactionMarker current, UUID producerId,
                                       long firstProducerSequence, List<SealedBatch> batches, int retries) {
        return stager.stageMore(queue, partition, current, producerId, firstProducerSequence, batches, retries);
    }

    /** Bytes one staged batch adds to a commit request: paths of the check, reference and index, and the reference. */
    private static int commitCost(StagedBatch s) {
        return 4 * s.path().length() + 2 * 200;
    }

    /** Records that sinks with this prefix stage in this queue, for restores and {@code zkmq txn list --prefix}. */
    public void registerSinkQueue(String prefix, String queue) {
        if (!registered.add(prefix + "/" + queue)) {
            return;
        }
        try {
            curator.create().creatingParentsIfNeeded().forPath(ZkmqPaths.sinkQueue(prefix, queue));
        } catch (KeeperException.NodeExistsException e) {
            // registered earlier
        } catch (Exception e) {
            registered.remove(prefix + "/" + queue);
            throw ZkErrors.translate(e, "registering sink prefix '" + prefix + "' for queue '" + queue + "'");
        }
    }

    /**
     * Records how long the sinks with this prefix let a staged transaction stay uncommitted before the
     * maintenance leader aborts it (stored in {@code /sinks/<prefix>}; the latest writer to start wins).
     */
    public void registerSinkTimeout(String prefix, Duration abandonedTimeout) {
        byte[] data = new SinkSettings(abandonedTimeout).toJson();
        String path = ZkmqPaths.sink(prefix);
        try {
            try {
                curator.create().creatingParentsIfNeeded().forPath(path, data);
            } catch (KeeperException.NodeExistsException e) {
                curator.setData().forPath(path, data);
            }
        } catch (Exception e) {
            throw ZkErrors.translate(e, "registering sink prefix '" + prefix + "'");
        }
    }

    /** The abandoned-transaction timeout registered for a prefix, or {@code fallback} if none is. */
    public Duration sinkTimeout(String prefix, Duration fallback) {
        String path = ZkmqPaths.sink(prefix);
        try {
            byte[] data = curator.getData().forPath(path);
            if (data == null || data.length == 0) {
                return fallback;
            }
            return SinkSettings.fromJson(data, path).abandonedTimeout();
        } catch (KeeperException.NoNodeException e) {
            return fallback;
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading " + path);
        }
    }

    /** Queues in which sinks with this transactional id prefix have staged transactions. */
    public List<String> sinkQueues(String prefix) {
        try {
            List<String> queues = new ArrayList<>(curator.getChildren().forPath(ZkmqPaths.sink(prefix) + "/queues"));
            queues.sort(null);
            return queues;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw ZkErrors.translate(e, "listing the queues of sink prefix '" + prefix + "'");
        }
    }

    /**
     * Makes a staged transaction visible, atomically for the partition. Idempotent: a repeated
     * commit returns {@link CommitOutcome#ALREADY_COMMITTED}, also once the marker has been removed
     * or replaced by a later run (the staged batches of a committed attempt stay until retention;
     * an abort always deletes them).
     *
     * @param attempt the {@link TransactionMarker#attempt()} returned by {@link #stage}
     * @throws TransactionAbortedException if the transaction was aborted: its records are not in the queue
     */
    public CommitOutcome commit(String queue, int partition, String txn, String attempt) {
        String markerPath = ZkmqPaths.transaction(queue, partition, txn);
        String headPath = ZkmqPaths.head(queue, partition);
        for (int round = 0; round < MAX_COMMIT_ATTEMPTS; round++) {
            try {
                Stat markerStat = new Stat();
                TransactionMarker marker = null;
                try {
                    marker = TransactionMarker.fromJson(curator.getData().storingStatIn(markerStat).forPath(markerPath), markerPath);
                } catch (KeeperException.NoNodeException e) {
                    // not ours any more: decided below
                }
                if (marker == null || !marker.attempt().equals(attempt)) {
                    requirePartition(queue, partition);
                    if (curator.checkExists().forPath(ZkmqPaths.stagedBatch(queue, partition, txn, attempt, 0)) != null) {
                        return CommitOutcome.ALREADY_COMMITTED;
                    }
                    throw aborted(queue, partition, txn, "its marker " + markerPath + " and staged batches are gone"
                            + " (unless it was committed so long ago that retention has since removed its records)");
                }
                if (marker.committed()) {
                    return CommitOutcome.ALREADY_COMMITTED;
                }
                if (marker.state() == TransactionMarker.State.ABORTING) {
                    throw aborted(queue, partition, txn, "an abort has claimed it");
                }
                int segmentBatches = admin.readConfig(queue).config().segmentBatches();
                PartitionHead head = PartitionHead.fromJson(curator.getData().forPath(headPath), headPath);
                List<CuratorOp> ops = new ArrayList<>();
                PartitionHead next = head;
                List<StagedBatch> staged = marker.staged();
                int end = marker.committedBatches();
                // The marker is rewritten in every request, so it counts against the limit too.
                int requestBytes = marker.toJson().length;
                // Up to COMMIT_CHUNK_BYTES per request: a larger transaction is committed in several,
                // each recording its progress in the marker (so a retry continues where it stopped).
                while (end < staged.size() && (end == marker.committedBatches()
                        || requestBytes + commitCost(staged.get(end)) <= COMMIT_CHUNK_BYTES)) {
                    StagedBatch s = staged.get(end);
                    requestBytes += commitCost(s);
                    long seq = next.nextSeq();
                    if (seq % segmentBatches == 0) {
                        ops.add(curator.transactionOp().create().forPath(ZkmqPaths.segment(queue, partition, seq / segmentBatches),
                                new SegmentInfo(seq, next.nextOffset(), next.nextBytes()).toJson()));
                    }
                    ops.add(curator.transactionOp().check().forPath(s.path()));
                    ops.add(curator.transactionOp().create().forPath(ZkmqPaths.batch(queue, partition, seq, segmentBatches),
                            ReferenceBatch.encode(next.nextOffset(), s)));
                    ops.add(curator.transactionOp().create().forPath(ZkmqPaths.reference(queue, partition, seq),
                            s.path().getBytes(StandardCharsets.UTF_8)));
                    next = next.advance(s.records(), s.bytes());
                    end++;
                }
                boolean last = end == staged.size();
                ops.add(curator.transactionOp().setData().forPath(headPath, next.toJson()));
                ops.add(curator.transactionOp().setData().withVersion(markerStat.getVersion()).forPath(markerPath,
                        (last ? marker.committedAt(System.currentTimeMillis()) : marker.committedUpTo(end)).toJson()));
                ensureReferencesDir(queue, partition);
                curator.transaction().forOperations(ops);
                if (!last) {
                    round = -1; // progress, not a lost race: the next chunk gets a full set of attempts
                    continue;
                }
                return CommitOutcome.COMMITTED;
            } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException e) {
                // Another writer took the batch number, or the marker changed: look again.
            } catch (KeeperException.NoNodeException e) {
                // A staged batch or the marker vanished (aborted), or the queue went: the next look tells which.
                try {
                    verifyStagedComplete(queue, partition, txn);
                } catch (ZkmqException z) {
                    throw z;
                } catch (Exception ignored) {
                    // the next attempt looks again
                }
            } catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException e) {
                // Unknown outcome: the marker says whether it landed.
            } catch (ZkmqException e) {
                throw e;
            } catch (Exception e) {
                throw ZkErrors.translate(e, "committing transaction " + txn + " to queue '" + queue + "' partition " + partition);
            }
        }
        throw new ConcurrentUpdateException("Committing transaction " + txn + " to queue '" + queue + "' partition " + partition
                + " lost " + MAX_COMMIT_ATTEMPTS + " races against concurrent appends in a row; the commit will be retried");
    }

    /** A marker whose staged batches are partly gone can never be committed: say so. */
    private void verifyStagedComplete(String queue, int partition, String txn) throws Exception {
        Optional<TransactionMarker> marker = read(queue, partition, txn);
        if (marker.isEmpty() || marker.get().committed()) {
            return;
        }
        for (StagedBatch s : marker.get().staged()) {
            if (curator.checkExists().forPath(s.path()) == null) {
                throw aborted(queue, partition, txn, "its staged batch " + s.path() + " was deleted");
            }
        }
    }

    static TransactionAbortedException aborted(String queue, int partition, String txn, String why) {
        return new TransactionAbortedException("Transaction " + txn + " of queue '" + queue + "' partition " + partition
                + " cannot be committed: " + why + ". It was aborted by a restore of its sink, by 'zkmq txn abort', or"
                + " by the maintenance leader's abandoned-transaction timeout. Its records are NOT in the queue");
    }

    /**
     * Aborts a transaction that is not committed: claims its marker (a version-checked update to
     * ABORTING, so a concurrent commit either wins or fails), deletes its staged batches, then the
     * marker. Finishes an abort that was interrupted. Returns false if there was nothing to abort or
     * the transaction is committed.
     */
    public boolean abort(String queue, int partition, String txn) {
        String markerPath = ZkmqPaths.transaction(queue, partition, txn);
        try {
            for (int round = 0; round < MAX_COMMIT_ATTEMPTS; round++) {
                Stat stat = new Stat();
                TransactionMarker marker;
                try {
                    marker = TransactionMarker.fromJson(curator.getData().storingStatIn(stat).forPath(markerPath), markerPath);
                } catch (KeeperException.NoNodeException e) {
                    return false;
                }
                if (marker.committed()) {
                    return false;
                }
                if (marker.partlyCommitted()) {
                    // Its checkpoint completed and part of it is visible: only finishing the commit is right.
                    commit(queue, partition, txn, marker.attempt());
                    return false;
                }
                int version = stat.getVersion();
                if (marker.state() == TransactionMarker.State.OPEN) {
                    try {
                        version = curator.setData().withVersion(version).forPath(markerPath, marker.aborting().toJson()).getVersion();
                    } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
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
            throw new ZkmqException("Aborting transaction " + txn + " of queue '" + queue + "' partition " + partition
                    + " lost " + MAX_COMMIT_ATTEMPTS + " races in a row");
        } catch (ZkmqException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(e, "aborting transaction " + txn + " of queue '" + queue + "' partition " + partition);
        }
    }

    private void deleteStaged(TransactionMarker marker) throws Exception {
        List<CuratorOp> ops = new ArrayList<>();
        for (StagedBatch s : marker.staged()) {
            if (curator.checkExists().forPath(s.path()) != null) {
                ops.add(curator.transactionOp().delete().forPath(s.path()));
            }
            if (ops.size() == DELETES_PER_TRANSACTION) {
                deleteAll(ops);
                ops.clear();
            }
        }
        deleteAll(ops);
    }

    private void deleteAll(List<CuratorOp> ops) throws Exception {
        if (ops.isEmpty()) {
            return;
        }
        try {
            curator.transaction().forOperations(ops);
        } catch (KeeperException.NoNodeException e) {
            // a concurrent abort deleted some: delete the rest one by one
            for (CuratorOp op : ops) {
                try {
                    curator.delete().forPath(op.get().getPath());
                } catch (KeeperException.NoNodeException ignored) {
                    // already gone
                }
            }
        }
    }

    /** The marker of a transaction, if it exists. */
    public Optional<TransactionMarker> read(String queue, int partition, String txn) {
        String path = ZkmqPaths.transaction(queue, partition, txn);
        try {
            return Optional.of(TransactionMarker.fromJson(curator.getData().forPath(path), path));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading " + path);
        }
    }

    /** Every transaction marker of the queue (open and committed), by partition then name. */
    public List<Listed> list(String queue) {
        int partitions = admin.readConfig(queue).config().partitions();
        List<Listed> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            List<String> names;
            try {
                names = new ArrayList<>(curator.getChildren().forPath(ZkmqPaths.transactions(queue, p)));
            } catch (KeeperException.NoNodeException e) {
                continue;
            } catch (Exception e) {
                throw ZkErrors.translate(e, "listing transactions of queue '" + queue + "' partition " + p);
            }
            names.sort(null);
            for (String name : names) {
                int partition = p;
                read(queue, p, name).ifPresent(m -> out.add(new Listed(queue, partition, m)));
            }
        }
        return out;
    }

    /**
     * Every transaction marker of sinks using {@code prefix}, in every queue they staged in. Queues deleted
     * since are skipped.
     */
    public List<Listed> listByPrefix(String prefix) {
        List<Listed> out = new ArrayList<>();
        for (String queue : sinkQueues(prefix)) {
            try {
                list(queue).stream().filter(l -> l.marker().id().prefix().equals(prefix)).forEach(out::add);
            } catch (QueueNotFoundException e) {
                // deleted since: nothing left to abort there
            }
        }
        return out;
    }

    private void ensureReferencesDir(String queue, int partition) throws Exception {
        String dir = ZkmqPaths.references(queue, partition);
        if (curator.checkExists().forPath(dir) == null) {
            try {
                curator.create().forPath(dir);
            } catch (KeeperException.NodeExistsException ignored) {
                // created concurrently
            }
        }
    }

    void requirePartition(String queue, int partition) throws Exception {
        if (curator.checkExists().forPath(ZkmqPaths.head(queue, partition)) == null) {
            throw new QueueNotFoundException("Queue '" + queue + "' has no partition " + partition + " (no znode "
                    + ZkmqPaths.head(queue, partition) + ")");
        }
    }
}
