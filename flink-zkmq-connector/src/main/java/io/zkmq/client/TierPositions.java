package io.zkmq.client;

import io.zkmq.coordination.TierIndex;
import io.zkmq.error.CorruptObjectException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.tier.TierBatchIterator;
import io.zkmq.tier.TierObjectReader;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * Finds an offset or a timestamp in the tiered part of a partition: the index entries (base offset
 * and record count, max timestamp) pick the object, the object's own index the batch (one footer
 * read, one index read, at most {@code N - 1} batches read past). Runs on the caller's thread, once
 * per partition at start.
 */
final class TierPositions {
    private final CuratorFramework curator;
    private final TierAccess access;
    private final String queue;

    TierPositions(CuratorFramework curator, String queue, int segmentBatches) {
        this.curator = curator;
        this.queue = queue;
        this.access = new TierAccess(curator, queue, segmentBatches);
    }

    /** The batch of a tier object that holds {@code offset}; empty if no object holds it. */
    Optional<Position> byOffset(int partition, long offset) throws Exception {
        for (TierIndex.Registered r : TierIndex.read(curator, queue, partition)) {
            TierObjectEntry e = r.entry();
            if (offset >= e.baseOffset() && offset < e.baseOffset() + e.records()) {
                TierObjectReader reader = access.open(partition, r);
                try (TierBatchIterator it =
                        reader.fromOffset(offset).orElseThrow(() -> noBatch(reader, r, offset))) {
                    return Optional.of(new Position(it.next().seq(), offset));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The first record at or after {@code timestamp} at or above {@code low} in the tier; empty if
     * every tiered record is earlier (the search goes on in ZooKeeper).
     */
    Optional<Position> byTimestamp(int partition, long timestamp, PartitionLow low)
            throws Exception {
        for (TierIndex.Registered r : TierIndex.read(curator, queue, partition)) {
            TierObjectEntry e = r.entry();
            if (e.lastSeq() < low.lowSeq() || e.maxTs() < timestamp) {
                continue;
            }
            Optional<TierBatchIterator> found = access.open(partition, r).fromTimestamp(timestamp);
            if (found.isEmpty()) {
                continue;
            }
            try (TierBatchIterator it = found.get()) {
                // Retention may have moved low into this object: skip what it trimmed.
                if (!it.skipUntil(b -> b.seq() >= low.lowSeq() && b.maxTimestamp() >= timestamp)) {
                    continue;
                }
                Batch batch = it.next();
                for (QueueRecord rec : batch.records()) {
                    if (rec.timestamp() >= timestamp) {
                        return Optional.of(new Position(batch.seq(), rec.offset()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static CorruptObjectException noBatch(
            TierObjectReader reader, TierIndex.Registered r, long offset) {
        return new CorruptObjectException(
                "Corrupt tier object "
                        + reader.path()
                        + ": registered at "
                        + r.znode()
                        + " for offsets from "
                        + r.entry().baseOffset()
                        + " ("
                        + r.entry().records()
                        + " records), but it has no batch holding offset "
                        + offset);
    }
}
