package io.zkmq.source.enumerator;

import io.zkmq.client.QueueAdmin;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.split.ZkmqSplit;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates the split of a newly discovered partition: its starting position (the configured one for
 * partitions found at the first discovery, earliest for partitions added later, so nothing written
 * to a new partition is missed) and, for a bounded source, its stop offset, read from ZooKeeper
 * once so every later attempt stops at the same place.
 */
final class SplitFactory {
    private final QueueAdmin admin;
    private final StartingPosition start;
    private final StoppingPosition stop;

    SplitFactory(QueueAdmin admin, StartingPosition start, StoppingPosition stop) {
        this.admin = admin;
        this.start = start;
        this.stop = stop;
    }

    /**
     * Offsets given for partitions that do not exist would never be used, silently: a typo or a
     * queue with fewer partitions than assumed. Checked against the partitions found at a fresh
     * start.
     */
    void requireGivenPartitionsExist(Map<String, Integer> partitionsByQueue) {
        requireExist(
                start.offsets().keySet(),
                "starting offsets (StartingPosition.offsets, table option"
                        + " 'scan.startup.specific-offsets')",
                partitionsByQueue);
        requireExist(
                stop.offsets().keySet(),
                "stopping offsets (StoppingPosition.offsets, table option"
                        + " 'scan.bounded.specific-offsets')",
                partitionsByQueue);
    }

    private static void requireExist(
            Set<QueuePartition> given, String what, Map<String, Integer> partitionsByQueue) {
        for (QueuePartition p : given) {
            Integer partitions = partitionsByQueue.get(p.queue());
            if (partitions == null) {
                throw new InvalidConfigException(
                        "The source's "
                                + what
                                + " name queue '"
                                + p.queue()
                                + "', which it does not read; it reads "
                                + new TreeSet<>(partitionsByQueue.keySet()));
            }
            if (p.partition() >= partitions) {
                throw new InvalidConfigException(
                        "The source's "
                                + what
                                + " name partition "
                                + p.partition()
                                + " of queue '"
                                + p.queue()
                                + "', but the queue has "
                                + partitions
                                + " partitions (0 to "
                                + (partitions - 1)
                                + "); remove the entry or fix the partition number");
            }
        }
    }

    ZkmqSplit create(QueuePartition p, boolean initial) {
        StartingPosition startHere = initial ? start : StartingPosition.earliest();
        return ZkmqSplit.unread(p, startHere, stopOffset(p));
    }

    private long stopOffset(QueuePartition p) {
        switch (stop.kind()) {
            case NONE:
                return ZkmqSplit.NO_STOP;
            case LATEST:
                return admin.readHead(p.queue(), p.partition()).nextOffset();
            case OFFSETS:
                Long given = stop.offsets().get(p);
                return given != null
                        ? given
                        : admin.readHead(p.queue(), p.partition()).nextOffset();
            case TIMESTAMP:
                return admin.resolvePosition(
                                p.queue(),
                                p.partition(),
                                StartingPosition.timestamp(stop.timestamp()))
                        .offset();
            default:
                throw new IllegalStateException("Unknown stopping position " + stop);
        }
    }
}
