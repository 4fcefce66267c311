package io.zkmq.queue;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Writes one tier object into an output stream, batch by batch, then its index and footer with
 * {@link #finish}. Pure apart from the stream it is given (the caller opens and closes it). Batches
 * must be consecutive in seq and offsets; each is verified (CRC32C and every record decoded) before
 * it is written, so an object never carries a batch that ZooKeeper readers would have refused. Not
 * thread-safe: one writer per object.
 */
@Internal
public final class TierObjectWriter {
    private final String queue;
    private final int partition;
    private final OutputStream out;
    private final int indexInterval;
    private final List<TierIndexEntry> entries = new ArrayList<>();

    private long position;
    private long batchCount;
    private long firstSeq;
    private long baseOffset;
    private long nextSeq;
    private long nextOffset;
    private long minTimestamp = Long.MAX_VALUE;
    private long maxTimestamp = Long.MIN_VALUE;
    private TierIndexEntry
            openEntry; // the current group's entry, its running maximum still growing
    private boolean finished;

    public TierObjectWriter(String queue, int partition, OutputStream out, int indexInterval) {
        if (indexInterval < 1) {
            throw new IllegalArgumentException(
                    "index interval must be at least 1, got " + indexInterval);
        }
        this.queue = queue;
        this.partition = partition;
        this.out = out;
        this.indexInterval = indexInterval;
    }

    public TierObjectWriter(String queue, int partition, OutputStream out) {
        this(queue, partition, out, TierObjectFormat.DEFAULT_INDEX_INTERVAL);
    }

    /**
     * Appends the plain batch stored as {@code data} at batch number {@code seq} (znode {@code
     * path}).
     */
    public void append(long seq, String path, byte[] data) throws IOException {
        Batch batch = Batch.parse(queue, partition, seq, path, data);
        if (batch.isReference()) {
            throw new IllegalArgumentException(
                    "Batch "
                            + seq
                            + " of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " at "
                            + path
                            + " is a reference to "
                            + batch.referencedPath()
                            + ": append it with appendReference and the"
                            + " staged batch, so the object holds its records");
        }
        write(batch, data);
    }

    /**
     * Appends reference batch {@code seq} (stored as {@code referenceData} at znode {@code path})
     * materialized with the staged batch it references ({@code stagedData}): see {@link
     * MaterializedBatch}.
     */
    public void appendReference(long seq, String path, byte[] referenceData, byte[] stagedData)
            throws IOException {
        Batch reference = Batch.parse(queue, partition, seq, path, referenceData);
        if (!reference.isReference()) {
            throw new IllegalArgumentException(
                    "Batch "
                            + seq
                            + " of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " at "
                            + path
                            + " is not a reference batch; append it with append");
        }
        byte[] materialized = MaterializedBatch.encode(reference, stagedData);
        write(
                Batch.parse(queue, partition, seq, reference.referencedPath(), materialized),
                materialized);
    }

    private void write(Batch batch, byte[] data) throws IOException {
        if (finished) {
            throw new IllegalStateException(
                    "Tier object of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " is already finished");
        }
        if (batchCount > 0 && (batch.seq() != nextSeq || batch.baseOffset() != nextOffset)) {
            throw new IllegalArgumentException(
                    "Tier object of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " needs consecutive batches: expected seq "
                            + nextSeq
                            + " at offset "
                            + nextOffset
                            + ", got seq "
                            + batch.seq()
                            + " at offset "
                            + batch.baseOffset());
        }
        // Decoding every record finds the true minimum timestamp (a batch header only has the first
        // and the maximum) and proves the records decode; offload is off the data path.
        long batchMin = Long.MAX_VALUE;
        for (QueueRecord r : batch.records()) {
            batchMin = Math.min(batchMin, r.timestamp());
        }
        if (batchCount == 0) {
            firstSeq = batch.seq();
            baseOffset = batch.baseOffset();
        }
        if (batchCount % indexInterval == 0) {
            closeGroup();
            openEntry =
                    new TierIndexEntry(batch.seq(), batch.baseOffset(), Long.MIN_VALUE, position);
        }
        out.write(data);
        position += data.length;
        batchCount++;
        nextSeq = batch.seq() + 1;
        nextOffset = batch.nextOffset();
        minTimestamp = Math.min(minTimestamp, batchMin);
        maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
    }

    private void closeGroup() {
        if (openEntry != null) {
            entries.add(
                    new TierIndexEntry(
                            openEntry.seq(),
                            openEntry.baseOffset(),
                            maxTimestamp,
                            openEntry.position()));
            openEntry = null;
        }
    }

    /** Bytes written so far (batches only until {@link #finish}). */
    public long position() {
        return position;
    }

    public long batchCount() {
        return batchCount;
    }

    /**
     * Writes the index and the footer; the object is complete once the stream is flushed and
     * closed.
     */
    public TierObjectFooter finish() throws IOException {
        if (batchCount == 0) {
            throw new IllegalStateException(
                    "Tier object of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " has no batches; an object holds at least one");
        }
        if (finished) {
            throw new IllegalStateException(
                    "Tier object of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " is already finished");
        }
        closeGroup();
        byte[] index = TierObjectIndex.encode(entries);
        TierObjectFooter footer =
                new TierObjectFooter(
                        firstSeq,
                        nextSeq - 1,
                        baseOffset,
                        nextOffset - baseOffset,
                        minTimestamp,
                        maxTimestamp,
                        position,
                        index.length,
                        indexInterval,
                        TierObjectFooter.crc32c(index, 0, index.length));
        out.write(index);
        out.write(footer.encode());
        finished = true;
        return footer;
    }
}
