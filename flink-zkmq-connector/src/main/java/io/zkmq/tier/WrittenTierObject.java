package io.zkmq.tier;

import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.TierObjectFooter;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.Path;

/**
 * An object written and read back: its path relative to the tier root (what the ZooKeeper index
 * entry stores), its full path, and its footer.
 */
@Internal
public record WrittenTierObject(String relativePath, Path path, TierObjectFooter footer) {
    /**
     * The ZooKeeper index entry that would register this object, which holds the partition's bytes
     * {@code [startBytes, endBytes)}.
     */
    public TierObjectEntry indexEntry(long startBytes, long endBytes) {
        return TierObjectEntry.of(relativePath, footer, startBytes, endBytes);
    }
}
