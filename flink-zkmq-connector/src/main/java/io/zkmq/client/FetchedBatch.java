package io.zkmq.client;

import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Batch;

/**
 * What the fetcher hands to its reader: either the raw bytes of the next batch of a partition
 * (parsed and checksummed by the reader's thread, not ZooKeeper's event thread), or an error for
 * that partition. {@code fromOffset} is the first offset wanted in the batch.
 */
public final class FetchedBatch {
    private final int partition;
    private final long seq;
    private final String path;
    private final byte[] data;
    private final long fromOffset;
    private final ZkmqException error;
    final Object owner;

    FetchedBatch(Object owner, int partition, long seq, String path, byte[] data, long fromOffset, ZkmqException error) {
        this.owner = owner;
        this.partition = partition;
        this.seq = seq;
        this.path = path;
        this.data = data;
        this.fromOffset = fromOffset;
        this.error = error;
    }

    public int partition() {
        return partition;
    }

    public long seq() {
        return seq;
    }

    public long fromOffset() {
        return fromOffset;
    }

    /** Null unless the fetch of this partition failed; then {@link #parse} throws it. */
    public ZkmqException error() {
        return error;
    }

    public int sizeInBytes() {
        return data == null ? 0 : data.length;
    }

    /** Parses and verifies the batch (throws {@code CorruptBatchException} on a bad checksum). */
    public Batch parse(String queue) {
        if (error != null) {
            throw error;
        }
        return Batch.parse(queue, partition, seq, path, data);
    }
}
