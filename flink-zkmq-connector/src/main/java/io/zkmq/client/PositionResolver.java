package io.zkmq.client;

import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.Position;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.ZkmqPaths;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Turns a {@link StartingPosition} into a batch-level {@link Position}. An offset is found by
 * binary search over batch numbers between {@code low} and {@code head} (batch base offsets
 * increase with the batch number), reading about log2(batches) batch znodes; a timestamp the same
 * way over the batches' maximum timestamps. Below the tier's end ({@code tierHigh}), where hot trim
 * may have deleted the batches, the index entries and objects of the tier answer instead ({@link
 * TierPositions}); {@code earliest} stays {@code low}. This happens once per partition at start,
 * never on the data path.
 */
final class PositionResolver {
    private final CuratorFramework curator;
    private final QueueAdmin admin;
    private final String queue;
    private final int segmentBatches;
    private final TierPositions tier;

    PositionResolver(CuratorFramework curator, QueueAdmin admin, String queue, int segmentBatches) {
        this.curator = curator;
        this.admin = admin;
        this.queue = queue;
        this.segmentBatches = segmentBatches;
        this.tier = new TierPositions(curator, queue, segmentBatches);
    }

    Position resolve(int partition, StartingPosition start) throws Exception {
        PartitionLow low = admin.readLow(queue, partition);
        if (start.isEarliest()) {
            return Position.of(low);
        }
        PartitionHead head = admin.readHead(queue, partition);
        if (start.isLatest() || start.offset() == head.nextOffset()) {
            return Position.of(head);
        }
        TierHigh high = readTierHigh(partition);
        // Below tierHigh the batches may be gone from ZooKeeper (hot trim): look them up in the
        // tier.
        long zkLow = Math.max(low.lowSeq(), high.nextSeq());
        if (start.isTimestamp()) {
            if (high.nextSeq() > low.lowSeq()) {
                Optional<Position> tiered = tier.byTimestamp(partition, start.timestamp(), low);
                if (tiered.isPresent()) {
                    return tiered.get();
                }
            }
            return byTimestamp(partition, start.timestamp(), zkLow, head);
        }
        long offset = start.offset();
        if (offset < low.lowOffset() || offset > head.nextOffset()) {
            throw new OffsetOutOfRangeException(
                    "Offset "
                            + offset
                            + " of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " is outside the readable range ["
                            + low.lowOffset()
                            + ", "
                            + head.nextOffset()
                            + "]");
        }
        if (offset < high.nextOffset()) {
            Optional<Position> tiered = tier.byOffset(partition, offset);
            if (tiered.isPresent()) {
                return tiered.get();
            }
            zkLow = low.lowSeq(); // no object holds it (deleted meanwhile): try ZooKeeper
        }
        long lo = zkLow;
        long hi = head.nextSeq() - 1;
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            Batch b = read(partition, mid);
            if (b.baseOffset() <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return new Position(lo, offset);
    }

    /** The first record with timestamp >= {@code timestamp}; the head if there is none. */
    private Position byTimestamp(int partition, long timestamp, long from, PartitionHead head)
            throws Exception {
        long lo = from;
        long hi = head.nextSeq(); // "none found"
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (read(partition, mid).maxTimestamp() >= timestamp) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (lo == head.nextSeq()) {
            return Position.of(head);
        }
        Batch batch = read(partition, lo);
        for (io.zkmq.queue.QueueRecord r : batch.records()) {
            if (r.timestamp() >= timestamp) {
                return new Position(lo, r.offset());
            }
        }
        return new Position(lo + 1, batch.nextOffset());
    }

    private TierHigh readTierHigh(int partition) throws Exception {
        String path = ZkmqPaths.tierHigh(queue, partition);
        try {
            return TierHigh.fromJson(curator.getData().forPath(path), path);
        } catch (KeeperException.NoNodeException e) {
            return TierHigh.EMPTY; // never offloaded
        }
    }

    private Batch read(int partition, long seq) throws Exception {
        String path = ZkmqPaths.batch(queue, partition, seq, segmentBatches);
        try {
            Batch batch = Batch.parse(queue, partition, seq, path, curator.getData().forPath(path));
            if (batch.isReference()) {
                String staged = batch.referencedPath();
                return batch.resolve(curator.getData().forPath(staged), staged);
            }
            return batch;
        } catch (KeeperException.NoNodeException e) {
            throw new OffsetOutOfRangeException(
                    "Batch "
                            + seq
                            + " of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " was trimmed while looking up an offset; retry from 'earliest'");
        }
    }
}
