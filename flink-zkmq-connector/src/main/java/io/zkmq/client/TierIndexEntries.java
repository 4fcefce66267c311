package io.zkmq.client;

import io.zkmq.coordination.TierIndex;
import io.zkmq.error.ZkErrors;
import io.zkmq.queue.TierObjectEntry;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;

/** Reads a partition's tier index entries (every bucket), oldest first ({@link TierIndex}). */
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
        return TierIndex.read(curator, queue, partition).stream()
                .map(r -> new Registered(r.znode(), r.entry()))
                .toList();
    }
}
