package io.zkmq.tier;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.CorruptObjectException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.BatchFormat;
import io.zkmq.queue.TierIndexEntry;
import io.zkmq.queue.TierObjectFooter;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The batches of one tier object from an index entry to the end, read sequentially through a
 * bounded buffer (one range read on object stores). Each batch is verified as ZooKeeper readers
 * verify it (CRC32C and header), and must continue the offsets of the one before; seq numbers are
 * counted from the entry, as batches do not store them. Not thread-safe; close it when done.
 */
@Internal
public final class TierBatchIterator implements Iterator<Batch>, Closeable {
    private final String queue;
    private final int partition;
    private final Path path;
    private final TierObjectFooter footer;
    private final InputStream in;
    private long position;
    private long nextSeq;
    private long nextOffset;
    private Batch lookahead;

    private TierBatchIterator(
            String queue,
            int partition,
            Path path,
            TierObjectFooter footer,
            FSDataInputStream raw,
            int bufferBytes,
            TierIndexEntry from) {
        this.queue = queue;
        this.partition = partition;
        this.path = path;
        this.footer = footer;
        this.in = new BufferedInputStream(raw, bufferBytes);
        this.position = from.position();
        this.nextSeq = from.seq();
        this.nextOffset = from.baseOffset();
    }

    static TierBatchIterator open(
            FileSystem fs,
            String queue,
            int partition,
            Path path,
            TierObjectFooter footer,
            TierIndexEntry from,
            int bufferBytes) {
        FSDataInputStream raw;
        try {
            raw = fs.open(path);
        } catch (IOException e) {
            throw TierIo.failure("open for reading", path, e);
        }
        try {
            raw.seek(from.position());
        } catch (IOException e) {
            closeQuietly(raw, e);
            throw TierIo.failure("seek to byte " + from.position() + " of", path, e);
        }
        return new TierBatchIterator(queue, partition, path, footer, raw, bufferBytes, from);
    }

    @Override
    public boolean hasNext() {
        if (lookahead != null) {
            return true;
        }
        if (position == footer.indexPosition()) {
            if (nextSeq != footer.lastSeq() + 1 || nextOffset != footer.nextOffset()) {
                throw corrupt(
                        "its batches end at seq "
                                + nextSeq
                                + ", offset "
                                + nextOffset
                                + "; the footer says seq "
                                + (footer.lastSeq() + 1)
                                + ", offset "
                                + footer.nextOffset(),
                        null);
            }
            return false;
        }
        lookahead = readBatch();
        return true;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException(
                    "No batch after seq " + (nextSeq - 1) + " in tier object " + path);
        }
        Batch b = lookahead;
        lookahead = null;
        return b;
    }

    /**
     * Skips batches until one matches {@code wanted} (then it is the next); false if none is left.
     */
    public boolean skipUntil(Predicate<Batch> wanted) {
        while (hasNext()) {
            if (wanted.test(lookahead)) {
                return true;
            }
            lookahead = null;
        }
        return false;
    }

    private Batch readBatch() {
        long remaining = footer.indexPosition() - position;
        if (remaining < BatchFormat.HEADER_LENGTH_V1) {
            throw corrupt(
                    "only "
                            + remaining
                            + " bytes before the index at byte "
                            + footer.indexPosition()
                            + " for batch "
                            + nextSeq
                            + " at byte "
                            + position
                            + ", fewer than a batch header",
                    null);
        }
        byte[] header = readFully(BatchFormat.HEADER_LENGTH_V1, null);
        int recordsLength = ByteBuffer.wrap(header).getInt(BatchFormat.HEADER_LENGTH_V1 - 4);
        if (recordsLength < 0 || recordsLength > remaining - BatchFormat.HEADER_LENGTH_V1) {
            throw corrupt(
                    "batch "
                            + nextSeq
                            + " at byte "
                            + position
                            + " claims "
                            + recordsLength
                            + " bytes of records,"
                            + " past the index at byte "
                            + footer.indexPosition(),
                    null);
        }
        byte[] data = readFully(BatchFormat.HEADER_LENGTH_V1 + recordsLength, header);
        Batch batch;
        try {
            batch = Batch.parse(queue, partition, nextSeq, path + " byte " + position, data);
        } catch (CorruptBatchException e) {
            throw corrupt(
                    "batch "
                            + nextSeq
                            + " at byte "
                            + position
                            + " fails its checks ("
                            + e.getMessage()
                            + ")",
                    e);
        }
        if (batch.isReference()) {
            throw corrupt(
                    "batch "
                            + nextSeq
                            + " at byte "
                            + position
                            + " is a reference batch; tier objects hold"
                            + " materialized batches only",
                    null);
        }
        if (batch.baseOffset() != nextOffset) {
            throw corrupt(
                    "batch "
                            + nextSeq
                            + " at byte "
                            + position
                            + " has base offset "
                            + batch.baseOffset()
                            + ", expected "
                            + nextOffset,
                    null);
        }
        position += data.length;
        nextSeq++;
        nextOffset = batch.nextOffset();
        return batch;
    }

    /**
     * Reads a batch of {@code length} bytes whose first bytes ({@code prefix}, if any) were read
     * already.
     */
    private byte[] readFully(int length, byte[] prefix) {
        byte[] out = new byte[length];
        int from = 0;
        if (prefix != null) {
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            from = prefix.length;
        }
        int read;
        try {
            read = in.readNBytes(out, from, length - from);
        } catch (IOException e) {
            throw TierIo.failure("read batch " + nextSeq + " at byte " + position + " of", path, e);
        }
        if (read != length - from) {
            throw corrupt(
                    "it ends inside batch " + nextSeq + " at byte " + position + " (truncated)",
                    null);
        }
        return out;
    }

    private CorruptObjectException corrupt(String why, Throwable cause) {
        return new CorruptObjectException(
                "Corrupt tier object "
                        + path
                        + " of queue '"
                        + queue
                        + "' partition "
                        + partition
                        + ": "
                        + why,
                cause);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // Nothing was written: a failed close of a read stream loses nothing.
        }
    }

    private static void closeQuietly(Closeable c, Exception primary) {
        try {
            c.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
