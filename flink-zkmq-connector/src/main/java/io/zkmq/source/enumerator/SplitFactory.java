package io.zkmq.source.enumerator;

import io.zkmq.client.QueueAdmin;
import io.zkmq.client.StartPosition;
import io.zkmq.queue.QueuePartition;
import io.zkmq.source.StartingPosition;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.split.ZkmqSplit;

/**
 * Creates the split of a newly discovered partition: its starting position (the configured one
 * for partitions found at the first discovery, earliest for partitions added later, so nothing
 * written to a new partition is missed) and, for a bounded source, its stop offset, read from
 * ZooKeeper once so every later attempt stops at the same place.
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
                return given != null ? given : admin.readHead(p.queue(), p.partition()).nextOffset();
            case TIMESTAMP:
                return admin.resolvePosition(p.queue(), p.partition(), StartPosition.timestamp(stop.timestamp())).offset();
            default:
                throw new IllegalStateException("Unknown stopping position " + stop);
        }
    }
}
