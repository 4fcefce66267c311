package io.zkmq.testing;

import io.zkmq.queue.TierHigh;
import io.zkmq.queue.ZkmqPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Stands in for the maintenance leader's hot trim, which is being built in parallel: deletes from
 * ZooKeeper exactly what the read contract allows once an object is registered, and nothing more.
 * For each segment wholly below {@code tierHigh.nextSeq}, oldest first: for each of its batches
 * that is an exactly-once reference, the staged batch and the {@code refs/<seq>} entry, then the
 * batch; then the segment znode. {@code low} is not moved. The lead switches the tests to the real
 * hot trim once both branches are merged.
 */
public final class TierTestTrim {
    private TierTestTrim() {}

    /** Trims one partition; returns the number of segments deleted. */
    public static int trim(
            CuratorFramework curator, String queue, int partition, int segmentBatches)
            throws Exception {
        String highPath = ZkmqPaths.tierHigh(queue, partition);
        TierHigh high;
        try {
            high = TierHigh.fromJson(curator.getData().forPath(highPath), highPath);
        } catch (KeeperException.NoNodeException e) {
            return 0;
        }
        String segments = ZkmqPaths.segments(queue, partition);
        List<String> ids = new ArrayList<>(curator.getChildren().forPath(segments));
        ids.sort(null);
        int deleted = 0;
        for (String id : ids) {
            long segmentId = Long.parseLong(id);
            if ((segmentId + 1) * segmentBatches > high.nextSeq()) {
                break; // not wholly in the tier: ZooKeeper keeps a contiguous suffix
            }
            String segment = segments + "/" + id;
            List<String> batches = new ArrayList<>(curator.getChildren().forPath(segment));
            batches.sort(null);
            for (String batch : batches) {
                deleteReference(curator, queue, partition, Long.parseLong(batch));
                curator.delete().forPath(segment + "/" + batch);
            }
            curator.delete().forPath(segment);
            deleted++;
        }
        return deleted;
    }

    /** Trims every partition {@code 0 .. partitions-1}; returns the segments deleted. */
    public static int trimAll(
            CuratorFramework curator, String queue, int partitions, int segmentBatches)
            throws Exception {
        int deleted = 0;
        for (int p = 0; p < partitions; p++) {
            deleted += trim(curator, queue, p, segmentBatches);
        }
        return deleted;
    }

    private static void deleteReference(
            CuratorFramework curator, String queue, int partition, long seq) throws Exception {
        String ref = ZkmqPaths.reference(queue, partition, seq);
        byte[] staged;
        try {
            staged = curator.getData().forPath(ref);
        } catch (KeeperException.NoNodeException e) {
            return; // a plain batch
        }
        try {
            curator.delete().forPath(new String(staged, StandardCharsets.UTF_8));
        } catch (KeeperException.NoNodeException e) {
            // already gone
        }
        curator.delete().forPath(ref);
    }
}
