package io.zkmq.coordination;

import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;

/**
 * Reads a partition's tier index entries: all of them oldest first (for retention, which moves
 * {@code low} across tiered objects, the client's tier tasks and describe), or the one that holds a
 * batch (for readers).
 */
@Internal
public final class TierIndex {
    /** An index entry and the znode it is stored in. */
    public record Registered(String znode, TierObjectEntry entry) {}

    private TierIndex() {}

    /** Every registered entry of the partition, oldest first. */
    public static List<Registered> read(CuratorFramework curator, String queue, int partition)
            throws Exception {
        String tier = ZkmqPaths.tier(queue, partition);
        List<Registered> out = new ArrayList<>();
        for (String bucket : sortedChildren(curator, tier)) {
            String bucketPath = ZkmqPaths.child(tier, bucket);
            for (String name : sortedChildren(curator, bucketPath)) {
                readEntry(curator, ZkmqPaths.child(bucketPath, name)).ifPresent(out::add);
            }
        }
        return out;
    }

    /**
     * The entry with the largest firstSeq at most {@code seq} (the object holding batch {@code
     * seq}); empty if there is none. Lists only the bucket of {@code seq} (and earlier ones while
     * they hold no such entry), so a lookup costs two listings and one read however many objects
     * the partition has.
     */
    public static Optional<Registered> floor(
            CuratorFramework curator, String queue, int partition, int segmentBatches, long seq)
            throws Exception {
        String tier = ZkmqPaths.tier(queue, partition);
        List<String> buckets = sortedChildren(curator, tier);
        String wantedBucket = ZkmqPaths.pad(ZkmqPaths.tierBucket(seq, segmentBatches));
        String wantedName = ZkmqPaths.pad(seq);
        for (int b = buckets.size() - 1; b >= 0; b--) {
            if (buckets.get(b).compareTo(wantedBucket) > 0) {
                continue;
            }
            String bucketPath = ZkmqPaths.child(tier, buckets.get(b));
            List<String> names = sortedChildren(curator, bucketPath);
            for (int i = names.size() - 1; i >= 0; i--) {
                if (names.get(i).compareTo(wantedName) <= 0) {
                    // Deleted by retention meanwhile: nothing holds seq any more.
                    return readEntry(curator, ZkmqPaths.child(bucketPath, names.get(i)));
                }
            }
        }
        return Optional.empty();
    }

    /** Children in numeric order (names are zero-padded); none if the znode is gone. */
    private static List<String> sortedChildren(CuratorFramework curator, String path)
            throws Exception {
        List<String> names;
        try {
            names = new ArrayList<>(curator.getChildren().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return List.of(); // never created, or emptied and deleted meanwhile
        }
        names.sort(null);
        return names;
    }

    private static Optional<Registered> readEntry(CuratorFramework curator, String znode)
            throws Exception {
        try {
            return Optional.of(
                    new Registered(
                            znode,
                            TierObjectEntry.fromJson(curator.getData().forPath(znode), znode)));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty(); // deleted by retention meanwhile
        }
    }
}
