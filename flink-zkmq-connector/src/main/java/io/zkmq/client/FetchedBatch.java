package io.zkmq.client;

import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.QueuePartition;
import org.apache.flink.annotation.Internal;

/**
 * What the fetcher hands to its reader: either the raw bytes of the next batch of a partition
 * (parsed and checksummed by the reader's thread, not ZooKeeper's event thread), or an error for
 * that partition. {@code fromOffset} is the first offset wanted in the batch.
 */
@Internal
public final class FetchedBatch {
    /** The fetch state of the partition a batch belongs to. */
    interface Owner {
        /** Whether the partition is still assigned with the assignment that fetched the batch. */
        boolean isCurrent();

        /** Frees the batch's prefetch slot. */
        void release();

        /**
         * The staged batches the partition's references stood for so far, to find a second
         * reference.
         */
        StagedReferences stagedReferences();
    }

    private final String queue;
    private final int partition;
    private final long seq;
    private final String path;
    private final byte[] data;
    private final long fromOffset;
    private final ZkmqException error;
    private final byte[] staged;
    private final String stagedPath;
    private final Batch
            materialized; // read from a tier object: already verified, never a reference
    final Owner owner;

    FetchedBatch(
            Owner owner,
            String queue,
            int partition,
            long seq,
            String path,
            byte[] data,
            long fromOffset,
            ZkmqException error,
            byte[] staged,
            String stagedPath) {
        this.owner = owner;
        this.queue = queue;
        this.partition = partition;
        this.seq = seq;
        this.path = path;
        this.data = data;
        this.fromOffset = fromOffset;
        this.error = error;
        this.staged = staged;
        this.stagedPath = stagedPath;
        this.materialized = null;
    }

    /** A batch read from ZooKeeper: its bytes and, for a reference, the staged batch's. */
    static FetchedBatch zooKeeper(
            Owner owner,
            QueuePartition where,
            long seq,
            String path,
            long fromOffset,
            byte[] data,
            byte[] staged,
            String stagedPath) {
        return new FetchedBatch(
                owner,
                where.queue(),
                where.partition(),
                seq,
                path,
                data,
                fromOffset,
                null,
                staged,
                stagedPath);
    }

    /** The error that ends the fetch of a partition, at batch {@code seq}. */
    static FetchedBatch failed(
            Owner owner,
            QueuePartition where,
            long seq,
            String path,
            long fromOffset,
            ZkmqException error) {
        return new FetchedBatch(
                owner,
                where.queue(),
                where.partition(),
                seq,
                path,
                null,
                fromOffset,
                error,
                null,
                null);
    }

    /** A batch read from the tier object at {@code path}, verified there. */
    FetchedBatch(
            Owner owner, String queue, int partition, String path, Batch batch, long fromOffset) {
        this.owner = owner;
        this.queue = queue;
        this.partition = partition;
        this.seq = batch.seq();
        this.path = path;
        this.data = null;
        this.fromOffset = fromOffset;
        this.error = null;
        this.staged = null;
        this.stagedPath = null;
        this.materialized = batch;
    }

    public String queue() {
        return queue;
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
        if (materialized != null) {
            return materialized.sizeInBytes();
        }
        return (data == null ? 0 : data.length) + (staged == null ? 0 : staged.length);
    }

    /**
     * Frees this batch's prefetch slot so its partition fetches further; call once it is handed on.
     */
    public void consumed() {
        if (owner != null && owner.isCurrent()) {
            owner.release();
        }
    }

    boolean isCurrent() {
        return owner != null && owner.isCurrent();
    }

    /**
     * Parses and verifies the batch (throws {@code CorruptBatchException} on a bad checksum, or on
     * a reference to a staged batch that an earlier reference of the partition already stood for).
     */
    public Batch parse() {
        if (error != null) {
            throw error;
        }
        if (materialized != null) {
            return materialized; // tier batches are materialized: no reference to check
        }
        Batch batch = Batch.parse(queue, partition, seq, path, data);
        if (!batch.isReference()) {
            return batch;
        }
        if (staged == null || !batch.referencedPath().equals(stagedPath)) {
            throw new io.zkmq.error.CorruptBatchException(
                    "Reference batch "
                            + seq
                            + " of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " at "
                            + path
                            + " points to "
                            + batch.referencedPath()
                            + ", which was not fetched");
        }
        Batch resolved = batch.resolve(staged, stagedPath);
        if (owner != null) {
            owner.stagedReferences().record(seq, path, stagedPath);
        }
        return resolved;
    }
}
