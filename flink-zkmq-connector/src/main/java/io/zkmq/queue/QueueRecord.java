package io.zkmq.queue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;

/** A record read back from a queue, with the partition and offset it was stored at. */
@PublicEvolving
public final class QueueRecord {
    private final String queue;
    private final int partition;
    private final long offset;
    private final Record record;

    public QueueRecord(String queue, int partition, long offset, Record record) {
        this.queue = queue;
        this.partition = partition;
        this.offset = offset;
        this.record = record;
    }

    public String queue() {
        return queue;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }

    public Record record() {
        return record;
    }

    public byte[] key() {
        return record.key();
    }

    public byte[] value() {
        return record.value();
    }

    public List<Header> headers() {
        return record.headers();
    }

    public long timestamp() {
        return record.timestamp();
    }

    /** The value as UTF-8 text, or null. */
    public String valueAsString() {
        return record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    }

    /** The key as UTF-8 text, or null. */
    public String keyAsString() {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return queue + "-" + partition + "@" + offset;
    }
}
