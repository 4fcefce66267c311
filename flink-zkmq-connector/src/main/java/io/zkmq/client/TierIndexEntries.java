package io.zkmq.client;

import io.zkmq.error.ZkErrors;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** Reads a partition's tier index entries (every bucket), oldest first. */
final class TierIndexEntries {
    /** An index entry and the znode it is stored in. */
    record Registered(String znode, TierObjectEntry entry) {}

    private TierIndexEntries() {}

    /** {@link #read}, with ZooKeeper's errors translated, for the admin's describe. */
    static List<Registered> readUnchecked(CuratorFramework curator, String queue, int partition) {
        try {
            return read(curator, queue, partition);
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e,
                    "reading the tier index entries of queue '"
                            + queue
                            + "' partition "
                            + partition);
        }
    }

    static List<Registered> read(CuratorFramework curator, String queue, int partition)
            throws Exception {
        String tier = ZkmqPaths.tier(queue, partition);
        List<String> buckets;
        try {
            buckets = new ArrayList<>(curator.getChildren().forPath(tier));
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
        buckets.sort(null); // zero-padded: text order is numeric order
        List<Registered> out = new ArrayList<>();
        for (String bucket : buckets) {
            String bucketPath = tier + "/" + bucket;
            List<String> names;
            try {
                names = new ArrayList<>(curator.getChildren().forPath(bucketPath));
            } catch (KeeperException.NoNodeException e) {
                continue; // emptied and deleted meanwhile
            }
            names.sort(null);
            for (String name : names) {
                String znode = bucketPath + "/" + name;
                try {
                    out.add(
                            new Registered(
                                    znode,
                                    TierObjectEntry.fromJson(
                                            curator.getData().forPath(znode), znode)));
                } catch (KeeperException.NoNodeException e) {
                    // deleted by retention meanwhile
                }
            }
        }
        return out;
    }
}
