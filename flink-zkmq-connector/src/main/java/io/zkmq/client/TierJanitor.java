package io.zkmq.client;

import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.coordination.TierIndex;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.tier.ListedTierObject;
import io.zkmq.tier.TierObjectStore;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a partition's tier in step with ZooKeeper: deletes the objects that retention trimmed
 * (index entry first, with {@code tierHigh}'s counts, then the object, so a reader never finds an
 * entry without its object), and objects that no entry registers once they are older than a grace
 * period (an upload whose leader crashed or was deposed before registering it).
 */
final class TierJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(TierJanitor.class);

    private final CuratorFramework curator;
    private final String queue;
    private final MaintenanceEpoch epoch;
    private final Duration orphanGrace;

    TierJanitor(
            CuratorFramework curator, String queue, MaintenanceEpoch epoch, Duration orphanGrace) {
        this.curator = curator;
        this.queue = queue;
        this.epoch = epoch;
        this.orphanGrace = orphanGrace;
    }

    /** Deletes the objects whose every batch is below {@code low}; returns how many. */
    int trimBelowLow(TierObjectStore store, int partition) throws Exception {
        String lowPath = ZkmqPaths.low(queue, partition);
        long lowSeq = PartitionLow.fromJson(curator.getData().forPath(lowPath), lowPath).lowSeq();
        String highPath = ZkmqPaths.tierHigh(queue, partition);
        int deleted = 0;
        for (TierIndex.Registered r : TierIndex.read(curator, queue, partition)) {
            if (r.entry().lastSeq() >= lowSeq) {
                break; // oldest first: the rest are not below low either
            }
            Stat highStat = new Stat();
            TierHigh high =
                    TierHigh.fromJson(
                            curator.getData().storingStatIn(highStat).forPath(highPath), highPath);
            curator.transaction()
                    .forOperations(
                            epoch.check(),
                            curator.transactionOp().delete().forPath(r.znode()),
                            curator.transactionOp()
                                    .setData()
                                    .withVersion(highStat.getVersion())
                                    .forPath(highPath, high.minus(r.entry()).toJson()));
            store.delete(store.resolve(r.entry().path()));
            deleted++;
            LOG.info(
                    "Retention deleted tier object {} (batches {}..{}) of queue '{}' partition {}: below low-water mark {}",
                    r.entry().path(),
                    r.entry().firstSeq(),
                    r.entry().lastSeq(),
                    queue,
                    partition,
                    lowSeq);
        }
        return deleted;
    }

    /** Deletes unregistered objects older than the grace period; returns how many. */
    int deleteOrphans(TierObjectStore store, int partition) throws Exception {
        List<ListedTierObject> listed = store.list(queue, partition);
        if (listed.isEmpty()) {
            return 0;
        }
        Set<String> registered = new HashSet<>();
        for (TierIndex.Registered r : TierIndex.read(curator, queue, partition)) {
            registered.add(r.entry().path());
        }
        long before = System.currentTimeMillis() - orphanGrace.toMillis();
        int deleted = 0;
        for (ListedTierObject o : listed) {
            if (registered.contains(store.relativePath(queue, partition, o.name()))
                    || o.modificationTime() >= before) {
                continue;
            }
            store.delete(o.path());
            deleted++;
            LOG.info(
                    "Deleted unregistered tier object {} of queue '{}' partition {}: no index entry after the grace"
                            + " period of {} (an upload whose registration never happened)",
                    o.path(),
                    queue,
                    partition,
                    orphanGrace);
        }
        return deleted;
    }
}
