package io.zkmq.client;

import io.zkmq.coordination.TierIndex;
import io.zkmq.error.ZkErrors;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;

/** Reads a partition's tier index entries (every bucket), oldest first ({@link TierIndex}). */
final class TierIndexEntries {
    private TierIndexEntries() {}

    /** {@link TierIndex#read}, with ZooKeeper's errors translated, for the admin's describe. */
    static List<TierIndex.Registered> readUnchecked(
            CuratorFramework curator, String queue, int partition) {
        try {
            return TierIndex.read(curator, queue, partition);
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e,
                    "reading the tier index entries of queue '"
                            + queue
                            + "' partition "
                            + partition);
        }
    }
}
