package io.zkmq.coordination;

import io.zkmq.error.FencedException;
import io.zkmq.queue.ZkmqPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes whole segments of a partition from ZooKeeper: the one implementation used by retention
 * (segments below {@code low}) and by hot trim (segments already in the tier). A segment's batches
 * go in ascending batch order, each in the same transaction as its {@code refs/<seq>} entry and the
 * staged batch that entry names (exactly-once commits), then the segment znode. So what ZooKeeper
 * holds of a partition stays a contiguous suffix, a reference batch never names a deleted staged
 * batch, and a run interrupted half-way leaves nothing orphaned: the next run lists the rest of the
 * segment again.
 *
 * <p>With a {@link MaintenanceEpoch}, every transaction also checks it, so a deposed maintenance
 * leader fails with {@link FencedException} instead of deleting.
 */
@Internal
public final class SegmentDeleter {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentDeleter.class);

    /** Bounds each multi(): small delete ops, far below jute.maxbuffer. */
    static final int OPS_PER_TRANSACTION = 500;

    /** Batches per transaction: each costs up to three deletes (batch, refs entry, staged). */
    private static final int BATCHES_PER_TRANSACTION = (OPS_PER_TRANSACTION - 1) / 3;

    private final CuratorFramework curator;
    private final String queue;
    private final MaintenanceEpoch fence;

    /** Unfenced: retention, whose only other writer of {@code low} loses a compare-and-set. */
    public SegmentDeleter(CuratorFramework curator, String queue) {
        this(curator, queue, null);
    }

    /**
     * @param fence checked in every transaction; null for none
     */
    public SegmentDeleter(CuratorFramework curator, String queue, MaintenanceEpoch fence) {
        this.curator = curator;
        this.queue = queue;
        this.fence = fence;
    }

    /**
     * Fails with {@link FencedException} unless this deleter's epoch is still the latest (one round
     * trip); nothing to check without an epoch. A deposed leader learns it here even when a newer
     * leader has deleted everything already.
     */
    public void checkFence(int partition) throws Exception {
        if (fence != null) {
            commit(partition, new ArrayList<>(), "anything");
        }
    }

    /** The ids of the partition's segments wholly below batch {@code endSeq}, oldest first. */
    public List<Long> segmentsBelow(int partition, int segmentBatches, long endSeq)
            throws Exception {
        List<Long> ids = new ArrayList<>();
        List<String> names;
        try {
            names = curator.getChildren().forPath(ZkmqPaths.segments(queue, partition));
        } catch (KeeperException.NoNodeException e) {
            return ids;
        }
        for (String name : names) {
            long id = Long.parseLong(name);
            if ((id + 1) * segmentBatches <= endSeq) {
                ids.add(id);
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * Deletes one segment with its batches, their refs entries and staged batches; returns the
     * staged batches deleted. A segment already gone is not an error.
     */
    public int deleteSegment(int partition, long segmentId) throws Exception {
        String segmentPath = ZkmqPaths.segment(queue, partition, segmentId);
        List<String> children;
        try {
            children = new ArrayList<>(curator.getChildren().forPath(segmentPath));
        } catch (KeeperException.NoNodeException e) {
            return 0;
        }
        children.sort(null); // zero-padded batch numbers: text order is batch order
        // Partitions that never had an exactly-once commit have no (or an empty) refs index: one
        // call tells.
        var refs = curator.checkExists().forPath(ZkmqPaths.references(queue, partition));
        boolean hasReferences = refs != null && refs.getNumChildren() > 0;
        int staged = 0;
        for (int start = 0; start < children.size(); start += BATCHES_PER_TRANSACTION) {
            List<String> window =
                    children.subList(
                            start, Math.min(children.size(), start + BATCHES_PER_TRANSACTION));
            List<byte[]> named = hasReferences ? readReferences(partition, window) : null;
            List<String> paths = new ArrayList<>();
            for (int i = 0; i < window.size(); i++) {
                paths.add(ZkmqPaths.child(segmentPath, window.get(i)));
                if (named != null && named.get(i) != null) {
                    staged += addReference(partition, window.get(i), named.get(i), paths);
                }
            }
            deleteAll(partition, paths);
        }
        deleteAll(partition, List.of(segmentPath));
        return staged;
    }

    /** Adds the refs entry of batch {@code name} and the staged batch it names; 1 if staged. */
    private int addReference(int partition, String name, byte[] data, List<String> paths) {
        String refPath = ZkmqPaths.child(ZkmqPaths.references(queue, partition), name);
        String stagedPath = new String(data, StandardCharsets.UTF_8);
        int staged = 0;
        if (ZkmqPaths.isStagedBatch(queue, partition, stagedPath)) {
            paths.add(stagedPath);
            staged = 1;
        } else {
            LOG.warn(
                    "Deleting segments of queue '{}' partition {}: {} does not name a staged batch of this partition"
                            + " ('{}'); deleting only the entry",
                    queue,
                    partition,
                    refPath,
                    stagedPath);
        }
        paths.add(refPath);
        return staged;
    }

    /**
     * The refs entries of the batches {@code names}, read in flight together (most have none: plain
     * appends); null where there is none.
     */
    private List<byte[]> readReferences(int partition, List<String> names) throws Exception {
        List<CompletableFuture<byte[]>> reads = new ArrayList<>();
        for (String name : names) {
            reads.add(readIfExists(ZkmqPaths.child(ZkmqPaths.references(queue, partition), name)));
        }
        try {
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                    .get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        List<byte[]> out = new ArrayList<>();
        for (CompletableFuture<byte[]> read : reads) {
            out.add(read.join());
        }
        return out;
    }

    private CompletableFuture<byte[]> readIfExists(String path) throws Exception {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        curator.getData()
                .inBackground(
                        (c, event) -> {
                            KeeperException.Code code =
                                    KeeperException.Code.get(event.getResultCode());
                            if (code == KeeperException.Code.OK) {
                                f.complete(event.getData() == null ? new byte[0] : event.getData());
                            } else if (code == KeeperException.Code.NONODE) {
                                f.complete(null);
                            } else {
                                f.completeExceptionally(KeeperException.create(code, path));
                            }
                        })
                .forPath(path);
        return f;
    }

    /**
     * Deletes in one transaction, in order; if some are already gone (another deleter raced us),
     * the rest one by one, still in order.
     */
    private void deleteAll(int partition, List<String> paths) throws Exception {
        List<CuratorOp> ops = new ArrayList<>(paths.size() + 1);
        for (String path : paths) {
            ops.add(curator.transactionOp().delete().forPath(path));
        }
        try {
            commit(partition, ops, paths.get(0));
        } catch (KeeperException.NoNodeException e) {
            for (String path : paths) {
                try {
                    commit(
                            partition,
                            new ArrayList<>(
                                    List.of(curator.transactionOp().delete().forPath(path))),
                            path);
                } catch (KeeperException.NoNodeException ignored) {
                    // already gone
                }
            }
        }
    }

    private void commit(int partition, List<CuratorOp> ops, String first) throws Exception {
        if (fence == null) {
            curator.transaction().forOperations(ops);
            return;
        }
        int version = fence.version(); // throws FencedException once leadership was lost
        ops.add(0, curator.transactionOp().check().withVersion(version).forPath(fence.path()));
        try {
            curator.transaction().forOperations(ops);
        } catch (KeeperException e) {
            List<OpResult> results = e.getResults();
            if (results != null
                    && !results.isEmpty()
                    && results.get(0) instanceof OpResult.ErrorResult err
                    && err.getErr() != KeeperException.Code.OK.intValue()) {
                throw new FencedException(
                        "Did not delete "
                                + first
                                + " of queue '"
                                + queue
                                + "' partition "
                                + partition
                                + ": this client is no longer the maintenance leader (epoch "
                                + version
                                + " at "
                                + fence.path()
                                + " was superseded)",
                        e);
            }
            throw e;
        }
    }
}
