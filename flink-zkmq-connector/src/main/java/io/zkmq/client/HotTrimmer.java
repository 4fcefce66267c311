package io.zkmq.client;

import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.coordination.SegmentDeleter;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.ZkmqPaths;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot trim: deletes from ZooKeeper every segment of a partition wholly below {@code
 * tierHigh.nextSeq}, oldest first, so ZooKeeper keeps only the hot tail. Those batches are in
 * registered tier objects, where readers find them. It never moves {@code low}: low is where the
 * retained partition, tier included, begins. Runs at every maintenance run, so a new leader
 * finishes what a crashed one started; its deletions check the maintenance epoch.
 */
final class HotTrimmer {
    private static final Logger LOG = LoggerFactory.getLogger(HotTrimmer.class);

    private final CuratorFramework curator;
    private final String queue;
    private final SegmentDeleter deleter;
    private final OffloadStep.Hook hook;

    HotTrimmer(
            CuratorFramework curator, String queue, MaintenanceEpoch epoch, OffloadStep.Hook hook) {
        this.curator = curator;
        this.queue = queue;
        this.deleter = new SegmentDeleter(curator, queue, epoch);
        this.hook = hook;
    }

    /** Deletes the partition's segments that are in the tier; returns how many. */
    int trim(QueueConfig config, int partition) throws Exception {
        String highPath = ZkmqPaths.tierHigh(queue, partition);
        TierHigh high;
        try {
            high = TierHigh.fromJson(curator.getData().forPath(highPath), highPath);
        } catch (KeeperException.NoNodeException e) {
            return 0; // nothing registered yet
        }
        // Before each segment, also when a newer leader deleted them already: a deposed leader
        // stops here.
        deleter.checkFence(partition);
        List<Long> segments =
                deleter.segmentsBelow(partition, config.segmentBatches(), high.nextSeq());
        int staged = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (i > 0) {
                hook.reached(OffloadStep.DURING_HOT_TRIM, partition);
                deleter.checkFence(partition);
            }
            staged += deleter.deleteSegment(partition, segments.get(i));
        }
        if (!segments.isEmpty()) {
            LOG.info(
                    "Hot trim deleted {} segment(s) of queue '{}' partition {} from ZooKeeper ({} staged batch(es));"
                            + " they are in the tier below batch {}",
                    segments.size(),
                    queue,
                    partition,
                    staged,
                    high.nextSeq());
        }
        return segments.size();
    }
}
