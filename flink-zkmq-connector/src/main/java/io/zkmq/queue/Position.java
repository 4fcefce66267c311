package io.zkmq.queue;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A read position in one partition: the batch to read next and the first offset wanted in it
 * (records of that batch below {@code offset} are skipped). Positions always name a batch, so a
 * reader never searches for an offset on the data path.
 */
@PublicEvolving
public record Position(long seq, long offset) {
    public Position {
        if (seq < 0 || offset < 0) {
            throw new IllegalArgumentException(
                    "Negative position seq=" + seq + " offset=" + offset);
        }
    }

    public static Position of(PartitionLow low) {
        return new Position(low.lowSeq(), low.lowOffset());
    }

    public static Position of(PartitionHead head) {
        return new Position(head.nextSeq(), head.nextOffset());
    }

    @Override
    public String toString() {
        return "offset " + offset + " (batch " + seq + ")";
    }
}
