package io.zkmq.coordination;

import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.ZkmqPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Trims whole segments of a queue's partitions past the retention limits. A segment is complete
 * once the next one exists (batch numbers only grow), so only complete segments are candidates:
 * segment i goes when the bytes appended from segment i+1 on still reach {@code retentionBytes}, or
 * when segment i+1 was created longer than {@code retentionTime} ago (then every batch of segment
 * i is older than that). {@code low} moves first, then the batches are deleted in chunked
 * transactions, so a reader never sees a hole: it sees a position below {@code low}.
 *
 * <p>Run by the maintenance leader only; it is the single writer of {@code low}.
 */
public final class RetentionTask {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionTask.class);
    private static final int DELETES_PER_TRANSACTION = 500;

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
        for (int p = 0; p < config.partitions(); p++) {
            deleted += trimPartition(config, p);
        }
        return deleted;
    }

    private int trimPartition(QueueConfig config, int partition) throws Exception {
        String headPath = ZkmqPaths.head(queue, partition);
        String lowPath = ZkmqPaths.low(queue, partition);
        PartitionHead head = PartitionHead.fromJson(curator.getData().forPath(headPath), headPath);
        Stat lowStat = new Stat();
        PartitionLow low = PartitionLow.fromJson(curator.getData().storingStatIn(lowStat).forPath(lowPath), lowPath);
        List<String> names = new ArrayList<>(curator.getChildren().forPath(ZkmqPaths.segments(queue, partition)));
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
            String nextPath = ZkmqPaths.segments(queue, partition) + "/" + names.get(i + 1);
            Stat nextStat = new Stat();
            SegmentInfo next = SegmentInfo.fromJson(curator.getData().storingStatIn(nextStat).forPath(nextPath), nextPath);
            boolean bytesExceeded = head.nextBytes() - next.startBytes() >= config.retentionBytes();
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
            PartitionLow moved = new PartitionLow(newLow.firstSeq(), newLow.baseOffset(), newLow.startBytes());
            curator.setData().withVersion(lowStat.getVersion()).forPath(lowPath, moved.toJson());
        }
        for (int i = 0; i < trim; i++) {
            deleteSegment(ZkmqPaths.segments(queue, partition) + "/" + names.get(i));
        }
        LOG.info("Retention trimmed {} segment(s) of queue '{}' partition {}; low is now batch {}", trim, queue, partition,
                newLow.firstSeq());
        return trim;
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
            ops.add(curator.transactionOp().delete().forPath(segmentPath + "/" + child));
            if (ops.size() == DELETES_PER_TRANSACTION) {
                curator.transaction().forOperations(ops);
                ops.clear();
            }
        }
        ops.add(curator.transactionOp().delete().forPath(segmentPath));
        curator.transaction().forOperations(ops);
    }
}
