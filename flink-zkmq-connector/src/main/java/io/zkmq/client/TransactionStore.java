package io.zkmq.client;

import io.zkmq.error.ConcurrentUpdateException;
import io.zkmq.error.ZkErrors;
import io.zkmq.queue.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
    /** Staged bytes written per {@code multi()} when staging (ZooKeeper's request limit is 1 MiB). */
    private static final int STAGE_CHUNK_BYTES = 900 * 1024;
    private static final int STAGE_REQUESTS_IN_FLIGHT = 8;
    private static final int MAX_COMMIT_ATTEMPTS = 50;
    private static final int DELETES_PER_TRANSACTION = 500;
    /** Request bytes per commit multi(); ZooKeeper drops a connection whose request exceeds 1 MiB. */
    private static final int COMMIT_CHUNK_BYTES = 900 * 1024;
    /** Largest marker (it lists every staged batch), leaving room in each commit request for batches. */
    static final int MAX_MARKER_BYTES = 512 * 1024;

    private final CuratorFramework curator;
    private final QueueAdmin admin;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    TransactionStore(CuratorFramework curator, QueueAdmin admin) {
        this.curator = curator;
        this.admin = admin;
    }

    public enum CommitOutcome { COMMITTED, ALREADY_COMMITTED }

    /** A transaction found in ZooKeeper, for listing and operations. */
    public record Listed(String queue, int partition, TransactionMarker marker) {}

    /**
     * Stages {@code batches} of one partition durably and invisibly: first the open marker (so an
     * interrupted staging is always found and aborted), then the staged batches. A marker of the same
     * transaction id left by an earlier attempt is replaced: an open one is aborted first; a committed
     * one (a later run reusing the id) is only forgotten, its staged batches stay referenced.
     */
    public TransactionMarker stage(String queue, int partition, TransactionId id, UUID producerId,
                                   long firstProducerSequence, List<SealedBatch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("Transaction " + id + " has no batches to stage");
        }
        String markerPath = ZkmqPaths.transaction(queue, partition, id.name());
        String attempt = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        List<StagedBatch> staged = new ArrayList<>(batches.size());
        for (int i = 0; i < batches.size(); i++) {
            SealedBatch b = batches.get(i);
            staged.add(new StagedBatch(ZkmqPaths.stagedBatch(queue, partition, id.name(), attempt, i), b.recordCount(),
                    b.sizeInBytes(), b.firstTimestamp(), b.maxTimestamp(), producerId, firstProducerSequence + i));
        }
        TransactionMarker marker = TransactionMarker.open(id, attempt, System.currentTimeMillis(), staged);
        checkMarkerSize(queue, partition, marker);
        try {
            requirePartition(queue, partition);
            registerSinkQueue(id.prefix(), queue);
            createMarker(queue, partition, markerPath, marker);
            writeStaged(queue, partition, batches, staged);
            return marker;
        } catch (ZkmqException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(e, "staging transaction " + id + " in queue '" + queue + "' partition " + partition);
        }
    }

    private static void checkMarkerSize(String queue, int partition, TransactionMarker marker) {
        int size = marker.toJson().length;
        if (size > MAX_MARKER_BYTES) {
            throw new ZkmqException("Transaction " + marker.id() + " of queue '" + queue + "' partition " + partition
                    + " would have " + marker.staged().size() + " staged batches, more than one transaction can list ("
                    + size + " of at most " + MAX_MARKER_BYTES + " marker bytes): checkpoint more often, or raise the"
                    + " queue's maxBatchBytes so that fewer, larger batches hold the same records");
        }
    }

    /** Bytes one staged batch adds to a commit request: paths of the check, reference and index, and the reference. */
    private static int commitCost(StagedBatch s) {
        return 4 * s.path().length() + 2 * 200;
    }

    /**
     * Stages more batches into an open transaction created by {@link #stage} (a writer that buffers
     * more than it wants to hold in memory between checkpoints). The marker lists the new batches
     * before they are written, so an abort always finds them.
     */
    public TransactionMarker stageMore(String queue, int partition, TransactionMarker current, UUID producerId,
                                       long firstProducerSequence, List<SealedBatch> batches) {
        String name = current.id().name();
        String markerPath = ZkmqPaths.transaction(queue, partition, name);
        List<StagedBatch> more = new ArrayList<>(batches.size());
        int base = current.staged().size();
        for (int i = 0; i < batches.size(); i++) {
            SealedBatch b = batches.get(i);
            more.add(new StagedBatch(ZkmqPaths.stagedBatch(queue, partition, name, current.attempt(), base + i),
                    b.recordCount(), b.sizeInBytes(), b.firstTimestamp(), b.maxTimestamp(), producerId,
                    firstProducerSequence + i));
        }
        try {
            Stat stat = new Stat();
            TransactionMarker stored = TransactionMarker.fromJson(curator.getData().storingStatIn(stat).forPath(markerPath),
                    markerPath);
            if (!stored.attempt().equals(current.attempt()) || stored.state() != TransactionMarker.State.OPEN
                    || stored.committedBatches() > 0 || stored.staged().size() != base) {
                throw aborted(queue, partition, name, "it changed while it was being staged (aborted by a restore"
                        + " of its sink or replaced by another writer with the same transactional id prefix)");
            }
            TransactionMarker updated = stored.withMoreStaged(more);
            checkMarkerSize(queue, partition, updated);
            curator.setData().withVersion(stat.getVersion()).forPath(markerPath, updated.toJson());
            writeStaged(queue, partition, batches, more);
            return updated;
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            throw aborted(queue, partition, name, "it was aborted while it was being staged");
        } catch (ZkmqException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(e, "staging more of transaction " + name + " in queue '" + queue + "' partition "
                    + partition);
        }
    }

    private void createMarker(String queue, int partition, String markerPath, TransactionMarker marker) throws Exception {
        for (int attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
            try {
                curator.create().creatingParentsIfNeeded().forPath(markerPath, marker.toJson());
                return;
            } catch (KeeperException.NodeExistsException e) {
                Stat stat = new Stat();
                TransactionMarker previous;
                try {
                    previous = TransactionMarker.fromJson(curator.getData().storingStatIn(stat).forPath(markerPath), markerPath);
                } catch (KeeperException.NoNodeException gone) {
                    continue;
                }
                if (previous.committed()) {
                    try {
                        curator.delete().withVersion(stat.getVersion()).forPath(markerPath);
                    } catch (KeeperException.NoNodeException | KeeperException.BadVersionException raced) {
                        // looked at again in the next round
                    }
                } else {
                    abort(queue, partition, marker.id().name());
                }
            }
        }
        throw new ZkmqException("Cannot create transaction marker " + markerPath + ": it keeps being re-created"
                + " concurrently. Is another sink using transactional id prefix '" + marker.id().prefix() + "'?");
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
        byte[] data = ("{\"abandonedTimeoutMs\":" + abandonedTimeout.toMillis() + "}").getBytes(StandardCharsets.UTF_8);
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
            return Duration.ofMillis(Json.requireLong(Json.read(data, path),
                    "abandonedTimeoutMs", path));
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

    private void writeStaged(String queue, int partition, List<SealedBatch> batches, List<StagedBatch> staged)
            throws Exception {
        String dir = ZkmqPaths.stagedBatches(queue, partition);
        if (curator.checkExists().forPath(dir) == null) {
            try {
                curator.create().forPath(dir);
            } catch (KeeperException.NodeExistsException ignored) {
                // created concurrently
            }
        }
        // Asynchronous multis of up to ~900 KiB each, at most STAGE_REQUESTS_IN_FLIGHT at once: enough to
        // keep ZooKeeper's disk busy, bounded so that a large staging cannot flood the server's memory.
        List<CompletableFuture<Void>> done = new ArrayList<>();
        Semaphore inFlight = new Semaphore(STAGE_REQUESTS_IN_FLIGHT);
        List<CuratorOp> ops = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < batches.size(); i++) {
            StagedBatch s = staged.get(i);
            byte[] data = batches.get(i).encode(0, s.producerId(), s.producerSequence());
            if (!ops.isEmpty() && bytes + data.length > STAGE_CHUNK_BYTES) {
                done.add(submit(ops, inFlight));
                ops = new ArrayList<>();
                bytes = 0;
            }
            ops.add(curator.transactionOp().create().forPath(s.path(), data));
            bytes += data.length;
        }
        if (!ops.isEmpty()) {
            done.add(submit(ops, inFlight));
        }
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private CompletableFuture<Void> submit(List<CuratorOp> ops, Semaphore inFlight) throws Exception {
        inFlight.acquire();
        CompletableFuture<Void> f = new CompletableFuture<>();
        f.whenComplete((v, e) -> inFlight.release());
        curator.transaction().inBackground((c, event) -> {
            KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
            if (code == KeeperException.Code.OK) {
                f.complete(null);
            } else {
                f.completeExceptionally(KeeperException.create(code, event.getPath()));
            }
        }).forOperations(ops);
        return f;
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

    private static TransactionAbortedException aborted(String queue, int partition, String txn, String why) {
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

    private void requirePartition(String queue, int partition) throws Exception {
        if (curator.checkExists().forPath(ZkmqPaths.head(queue, partition)) == null) {
            throw new QueueNotFoundException("Queue '" + queue + "' has no partition " + partition + " (no znode "
                    + ZkmqPaths.head(queue, partition) + ")");
        }
    }
}
