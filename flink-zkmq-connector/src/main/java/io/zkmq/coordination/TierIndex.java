package io.zkmq.coordination;

import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;

/**
 * Reads a partition's tier index entries (every bucket), oldest first: for retention, which moves
 * {@code low} across tiered objects, and for the client's tier tasks.
 */
@Internal
public final class TierIndex {
    /** An index entry and the znode it is stored in. */
    public record Registered(String znode, TierObjectEntry entry) {}

    private TierIndex() {}

    public static List<Registered> read(CuratorFramework curator, String queue, int partition)
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
