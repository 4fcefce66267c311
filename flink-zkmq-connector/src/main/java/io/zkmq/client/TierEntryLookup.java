package io.zkmq.client;

import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Finds the registered tier object that holds a batch: the index entry with the largest {@code
 * firstSeq <= seq}. Lists only the bucket of {@code seq} (and earlier ones while they hold no such
 * entry), so a lookup costs two listings and one read however many objects the partition has.
 */
final class TierEntryLookup {
    private TierEntryLookup() {}

    /** The entry with the largest firstSeq at most {@code seq}; empty if there is none. */
    static Optional<TierIndexEntries.Registered> floor(
            CuratorFramework curator, String queue, int partition, int segmentBatches, long seq)
            throws Exception {
        String tier = ZkmqPaths.tier(queue, partition);
        List<String> buckets;
        try {
            buckets = new ArrayList<>(curator.getChildren().forPath(tier));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
        buckets.sort(null); // zero-padded: text order is numeric order
        String wantedBucket = ZkmqPaths.pad(ZkmqPaths.tierBucket(seq, segmentBatches));
        String wantedName = ZkmqPaths.pad(seq);
        for (int b = buckets.size() - 1; b >= 0; b--) {
            if (buckets.get(b).compareTo(wantedBucket) > 0) {
                continue;
            }
            String bucketPath = tier + "/" + buckets.get(b);
            List<String> names;
            try {
                names = new ArrayList<>(curator.getChildren().forPath(bucketPath));
            } catch (KeeperException.NoNodeException e) {
                continue;
            }
            names.sort(null);
            for (int i = names.size() - 1; i >= 0; i--) {
                if (names.get(i).compareTo(wantedName) <= 0) {
                    String znode = bucketPath + "/" + names.get(i);
                    try {
                        return Optional.of(
                                new TierIndexEntries.Registered(
                                        znode,
                                        TierObjectEntry.fromJson(
                                                curator.getData().forPath(znode), znode)));
                    } catch (KeeperException.NoNodeException e) {
                        return Optional.empty(); // deleted by retention meanwhile
                    }
                }
            }
        }
        return Optional.empty();
    }
}
