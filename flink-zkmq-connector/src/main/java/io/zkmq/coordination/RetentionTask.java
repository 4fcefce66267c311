package io.zkmq.coordination;

import io.zkmq.error.QuotaExceededException;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.SegmentInfo;
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
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trims whole segments of a queue's partitions past the retention limits. A segment is complete
 * once the next one exists (batch numbers only grow), so only complete segments are candidates:
 * segment i goes when the bytes appended from segment i+1 on still reach {@code retentionBytes}, or
 * when segment i+1 was created longer than {@code retentionTime} ago (then every batch of segment i
 * is older than that). Under a byte quota {@code retentionBytes} is lowered so the partitions
 * together stay below a safe share of it ({@link QueueConfig#effectiveRetentionBytes()}): ZooKeeper
 * refuses appends past the quota. {@code low} moves first, then the batches are deleted in chunked
 * transactions, so a reader never sees a hole: it sees a position below {@code low}.
 *
 * <p>Batches that exactly-once commits appended are reference batches: for each trimmed batch
 * number the {@code refs/<seq>} index entry and the staged batch it names go too, before the
 * segment (so a run interrupted half-way finds the segment again next time and nothing is
 * orphaned). Their paths are computed from the batch numbers; nothing but the segment directory is
 * listed.
 *
 * <p>Run by the maintenance leader only; it is the single writer of {@code low}.
 */
@Internal
public final class RetentionTask {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionTask.class);
    private static final int DELETES_PER_TRANSACTION = 500;

    /** Batch numbers whose refs entries are read at once; each found one costs two deletes. */
    private static final int REFERENCES_PER_WINDOW = DELETES_PER_TRANSACTION / 2;

    private final CuratorFramework curator;
    private final String queue;

    public RetentionTask(CuratorFramework curator, String queue) {
        this.curator = curator;
        this.queue = queue;
    }

    /** Trims every partition once; returns the number of segments deleted. */
    public int runOnce() throws Exception {
        String configPath = ZkmqPaths.queue(queue);
        byte[] data;
        try {
            data = curator.getData().forPath(configPath);
        } catch (KeeperException.NoNodeException e) {
            return 0;
        }
        if (data == null || data.length == 0) {
            return 0;
        }
        QueueConfig config = QueueConfig.fromJson(data, configPath);
        int deleted = 0;
        long retentionBytes = config.effectiveRetentionBytes();
        List<Integer> refused = new ArrayList<>();
        for (int p = 0; p < config.partitions(); p++) {
            try {
                deleted += trimPartition(config, retentionBytes, p);
            } catch (KeeperException.QuotaExceededException e) {
                // Moving low can add a byte or two (a longer number); trimming the other partitions
                // frees room for it.
                refused.add(p);
            }
        }
        if (!refused.isEmpty()) {
            throw new QuotaExceededException(
                    queue,
                    config.quotaBytes(),
                    "retention could not move the low-water mark"
                            + " of partition(s) "
                            + refused
                            + " because the queue is at its quota; it retries at the next run, and"
                            + " succeeds once trimming the other partitions freed a few bytes (with one partition: raise the quota"
                            + " briefly)",
                    null);
        }
        return deleted;
    }

    private int trimPartition(QueueConfig config, long retentionBytes, int partition)
            throws Exception {
        String headPath = ZkmqPaths.head(queue, partition);
        String lowPath = ZkmqPaths.low(queue, partition);
        PartitionHead head = PartitionHead.fromJson(curator.getData().forPath(headPath), headPath);
        Stat lowStat = new Stat();
        PartitionLow low =
                PartitionLow.fromJson(
                        curator.getData().storingStatIn(lowStat).forPath(lowPath), lowPath);
        List<String> names =
                new ArrayList<>(
                        curator.getChildren().forPath(ZkmqPaths.segments(queue, partition)));
        names.sort(null);
        if (names.size() < 2) {
            return 0;
        }
        long now = System.currentTimeMillis();
        long cutoff = now - config.retentionTime().toMillis();
        int trim = 0;
        SegmentInfo newLow = null;
        // Walk complete segments oldest first; stop at the first one that must stay.
        for (int i = 0; i + 1 < names.size(); i++) {
            String nextPath =
                    ZkmqPaths.child(ZkmqPaths.segments(queue, partition), names.get(i + 1));
            Stat nextStat = new Stat();
            SegmentInfo next =
                    SegmentInfo.fromJson(
                            curator.getData().storingStatIn(nextStat).forPath(nextPath), nextPath);
            boolean bytesExceeded = head.nextBytes() - next.startBytes() >= retentionBytes;
            boolean expired = nextStat.getCtime() < cutoff;
            if (!bytesExceeded && !expired) {
                break;
            }
            trim = i + 1;
            newLow = next;
        }
        if (trim == 0) {
            return 0;
        }
        if (newLow.firstSeq() > low.lowSeq()) {
            PartitionLow moved =
                    new PartitionLow(newLow.firstSeq(), newLow.baseOffset(), newLow.startBytes());
            curator.setData().withVersion(lowStat.getVersion()).forPath(lowPath, moved.toJson());
        }
        // Partitions that never had an exactly-once commit have no (or an empty) refs index: one
        // call tells.
        Stat refs = curator.checkExists().forPath(ZkmqPaths.references(queue, partition));
        boolean hasReferences = refs != null && refs.getNumChildren() > 0;
        int staged = 0;
        for (int i = 0; i < trim; i++) {
            if (hasReferences) {
                long first = Long.parseLong(names.get(i)) * config.segmentBatches();
                staged +=
                        deleteReferences(
                                partition,
                                first,
                                Math.min(first + config.segmentBatches(), newLow.firstSeq()));
            }
            deleteSegment(ZkmqPaths.child(ZkmqPaths.segments(queue, partition), names.get(i)));
        }
        LOG.info(
                "Retention trimmed {} segment(s) of queue '{}' partition {} ({} staged batch(es) of exactly-once commits);"
                        + " low is now batch {}",
                trim,
                queue,
                partition,
                staged,
                newLow.firstSeq());
        return trim;
    }

    /**
     * Deletes the refs entries of batch numbers {@code [from, to)} and the staged batches they
     * name, a window at a time: the entries are read in flight together (most numbers have none:
     * plain appends), then each found pair is deleted in one transaction. Returns the staged
     * batches deleted.
     */
    private int deleteReferences(int partition, long from, long to) throws Exception {
        int deleted = 0;
        for (long start = from; start < to; start += REFERENCES_PER_WINDOW) {
            long end = Math.min(to, start + REFERENCES_PER_WINDOW);
            List<CompletableFuture<byte[]>> reads = new ArrayList<>();
            for (long seq = start; seq < end; seq++) {
                reads.add(readIfExists(ZkmqPaths.reference(queue, partition, seq)));
            }
            try {
                CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                        .get(2, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
            List<String> paths = new ArrayList<>();
            for (long seq = start; seq < end; seq++) {
                byte[] data = reads.get((int) (seq - start)).join();
                if (data == null) {
                    continue;
                }
                String refPath = ZkmqPaths.reference(queue, partition, seq);
                String stagedPath = new String(data, StandardCharsets.UTF_8);
                if (ZkmqPaths.isStagedBatch(queue, partition, stagedPath)) {
                    paths.add(stagedPath);
                    deleted++;
                } else {
                    LOG.warn(
                            "Retention of queue '{}' partition {}: {} does not name a staged batch of this partition ('{}');"
                                    + " deleting only the entry",
                            queue,
                            partition,
                            refPath,
                            stagedPath);
                }
                paths.add(refPath);
            }
            deleteAll(paths);
        }
        return deleted;
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

    /** Deletes in one transaction; if some are already gone, the rest one by one. */
    private void deleteAll(List<String> paths) throws Exception {
        if (paths.isEmpty()) {
            return;
        }
        List<CuratorOp> ops = new ArrayList<>(paths.size());
        for (String path : paths) {
            ops.add(curator.transactionOp().delete().forPath(path));
        }
        try {
            curator.transaction().forOperations(ops);
        } catch (KeeperException.NoNodeException e) {
            for (String path : paths) {
                try {
                    curator.delete().forPath(path);
                } catch (KeeperException.NoNodeException ignored) {
                    // already gone
                }
            }
        }
    }

    private void deleteSegment(String segmentPath) throws Exception {
        List<String> children;
        try {
            children = curator.getChildren().forPath(segmentPath);
        } catch (KeeperException.NoNodeException e) {
            return;
        }
        List<CuratorOp> ops = new ArrayList<>();
        for (String child : children) {
            ops.add(curator.transactionOp().delete().forPath(ZkmqPaths.child(segmentPath, child)));
            if (ops.size() == DELETES_PER_TRANSACTION) {
                curator.transaction().forOperations(ops);
                ops.clear();
            }
        }
        ops.add(curator.transactionOp().delete().forPath(segmentPath));
        curator.transaction().forOperations(ops);
    }
}
