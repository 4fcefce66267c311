package io.zkmq.sink;

import io.zkmq.queue.Record;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * What a {@link ZkmqRecordSerializationSchema} makes of one element: the record and, optionally,
 * the partition it must go to ({@link #ROUTE} = let the sink route it by key).
 */
@PublicEvolving
public record ZkmqSinkRecord(Record record, int partition) {
    /** Partition value meaning "route by key (round-robin for a null key)". */
    public static final int ROUTE = -1;

    public ZkmqSinkRecord {
        Objects.requireNonNull(record, "record must not be null");
        if (partition < ROUTE) {
            throw new IllegalArgumentException(
                    "partition must be >= 0, or ROUTE (-1), got " + partition);
        }
    }

    /** A record the sink routes by key. */
    public static ZkmqSinkRecord routed(Record record) {
        return new ZkmqSinkRecord(record, ROUTE);
    }
}
