package io.zkmq.coordination;

import io.zkmq.error.QuotaExceededException;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
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
 * is older than that). With tiered storage the retained partition starts with the tier objects
 * (whole objects, by their partition byte positions and max timestamps) and the same walk moves
 * {@code low} across them; the tier task then deletes the objects below low. Without a tier, under
 * a byte quota {@code retentionBytes} is lowered so the partitions together stay below a safe share
 * of it ({@link QueueConfig#effectiveRetentionBytes()}): ZooKeeper refuses appends past the quota.
 * {@code low} moves first, then the batches are deleted in chunked transactions, so a reader never
 * sees a hole: it sees a position below {@code low}.
 *
 * <p>The segments go through {@link SegmentDeleter}, with the {@code refs/} entries and staged
 * batches of exactly-once commits.
 *
 * <p>Run by the maintenance leader only; it is the single writer of {@code low}.
 */
@Internal
public final class RetentionTask {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionTask.class);
    private final CuratorFramework curator;
    private final String queue;
    private final SegmentDeleter deleter;

    public RetentionTask(CuratorFramework curator, String queue) {
        this.curator = curator;
        this.queue = queue;
        this.deleter = new SegmentDeleter(curator, queue);
    }

    /**
     * Trims every partition once; returns the number of segments and tier objects moved below low
     * (the objects are deleted by the tier task).
     */
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
                    config.effectiveQuotaBytes(),
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
        // The retained partition, oldest first: tier objects not wholly below low, then the
        // segments still in ZooKeeper from the tier's end on (those below it are hot-trimmed soon).
        List<TierObjectEntry> tiered = new ArrayList<>();
        long tierEnd = 0;
        for (TierIndex.Registered r : TierIndex.read(curator, queue, partition)) {
            tierEnd = r.entry().lastSeq() + 1;
            if (r.entry().lastSeq() >= low.lowSeq()) {
                tiered.add(r.entry());
            }
        }
        List<String> names = new ArrayList<>();
        for (String name : curator.getChildren().forPath(ZkmqPaths.segments(queue, partition))) {
            if (Long.parseLong(name) * config.segmentBatches() >= tierEnd) {
                names.add(name);
            }
        }
        names.sort(null);
        // A unit (object, or complete segment: the next one exists) may go when the bytes from its
        // end on still reach the limit, or when none of its batches is newer than the cut-off.
        int units = tiered.size() + Math.max(0, names.size() - 1);
        long cutoff = System.currentTimeMillis() - config.retentionTime().toMillis();
        int trim = 0;
        SegmentInfo newLow = null;
        // Walk oldest first; stop at the first unit that must stay.
        for (int i = 0; i < units; i++) {
            SegmentInfo end;
            long newest; // no batch of unit i is newer: its max timestamp, or the next's ctime
            if (i < tiered.size()) {
                TierObjectEntry e = tiered.get(i);
                end = new SegmentInfo(e.lastSeq() + 1, e.baseOffset() + e.records(), e.endBytes());
                newest = e.maxTs();
            } else {
                String nextPath =
                        ZkmqPaths.child(
                                ZkmqPaths.segments(queue, partition),
                                names.get(i + 1 - tiered.size()));
                Stat nextStat = new Stat();
                end =
                        SegmentInfo.fromJson(
                                curator.getData().storingStatIn(nextStat).forPath(nextPath),
                                nextPath);
                newest = nextStat.getCtime();
            }
            boolean bytesExceeded = head.nextBytes() - end.startBytes() >= retentionBytes;
            boolean expired = newest < cutoff;
            if (!bytesExceeded && !expired) {
                break;
            }
            trim = i + 1;
            newLow = end;
        }
        if (trim == 0) {
            return 0;
        }
        if (newLow.firstSeq() > low.lowSeq()) {
            PartitionLow moved =
                    new PartitionLow(newLow.firstSeq(), newLow.baseOffset(), newLow.startBytes());
            curator.setData().withVersion(lowStat.getVersion()).forPath(lowPath, moved.toJson());
        }
        int staged = 0;
        for (long id :
                deleter.segmentsBelow(partition, config.segmentBatches(), newLow.firstSeq())) {
            staged += deleter.deleteSegment(partition, id);
        }
        LOG.info(
                "Retention trimmed {} tier object(s) and segment(s) of queue '{}' partition {} ({} staged batch(es) of"
                        + " exactly-once commits); low is now batch {}",
                trim,
                queue,
                partition,
                staged,
                newLow.firstSeq());
        return trim;
    }
}
