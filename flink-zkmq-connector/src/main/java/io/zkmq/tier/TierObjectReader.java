package io.zkmq.tier;

import io.zkmq.error.CorruptObjectException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.TierIndexEntry;
import io.zkmq.queue.TierObjectFooter;
import io.zkmq.queue.TierObjectFormat;
import io.zkmq.queue.TierObjectIndex;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * An opened tier object: its verified footer and index, read with one range read each, and no open
 * stream (each {@link TierBatchIterator} opens its own at the position it needs). Immutable; safe
 * to share and cache.
 */
@Internal
public final class TierObjectReader {
    private final FileSystem fs;
    private final String queue;
    private final int partition;
    private final Path path;
    private final TierObjectIndex index;
    private final int bufferBytes;

    private TierObjectReader(
            FileSystem fs,
            String queue,
            int partition,
            Path path,
            TierObjectIndex index,
            int bufferBytes) {
        this.fs = fs;
        this.queue = queue;
        this.partition = partition;
        this.path = path;
        this.index = index;
        this.bufferBytes = bufferBytes;
    }

    static TierObjectReader open(
            FileSystem fs, String queue, int partition, Path path, int bufferBytes) {
        long length;
        try {
            FileStatus status = fs.getFileStatus(path);
            length = status.getLen();
        } catch (IOException e) {
            throw TierIo.failure("open", path, e);
        }
        String where = path.toString();
        if (length < TierObjectFormat.FOOTER_SIZE) {
            TierObjectFooter.decode(new byte[0], length, where); // throws: truncated
        }
        try (FSDataInputStream in = fs.open(path)) {
            TierObjectFooter footer =
                    TierObjectFooter.decode(
                            readAt(
                                    in,
                                    length - TierObjectFormat.FOOTER_SIZE,
                                    TierObjectFormat.FOOTER_SIZE,
                                    path),
                            length,
                            where);
            byte[] indexBytes = readAt(in, footer.indexPosition(), footer.indexLength(), path);
            return new TierObjectReader(
                    fs,
                    queue,
                    partition,
                    path,
                    TierObjectIndex.decode(indexBytes, footer, where),
                    bufferBytes);
        } catch (IOException e) {
            throw TierIo.failure("read the footer and index of", path, e);
        }
    }

    private static byte[] readAt(FSDataInputStream in, long position, int length, Path path)
            throws IOException {
        in.seek(position);
        byte[] out = new byte[length];
        int read = in.readNBytes(out, 0, length);
        if (read != length) {
            throw new CorruptObjectException(
                    "Corrupt tier object "
                            + path
                            + ": it ends after "
                            + (position + read)
                            + " bytes, inside the "
                            + length
                            + " bytes at "
                            + position
                            + " (truncated while being read)");
        }
        return out;
    }

    public Path path() {
        return path;
    }

    public TierObjectFooter footer() {
        return index.footer();
    }

    public TierObjectIndex index() {
        return index;
    }

    /** Every batch of the object, in order. */
    public TierBatchIterator batches() {
        return iterator(index.entry(0));
    }

    /** The batches from the index entry {@code from} on. */
    public TierBatchIterator iterator(TierIndexEntry from) {
        return TierBatchIterator.open(fs, queue, partition, path, footer(), from, bufferBytes);
    }

    /** The batches from batch {@code seq} on; empty if the object does not hold it. */
    public Optional<TierBatchIterator> fromSeq(long seq) {
        return from(index.floorBySeq(seq), b -> b.seq() >= seq);
    }

    /**
     * The batches from the one holding record {@code offset} on; empty if the object does not hold
     * it.
     */
    public Optional<TierBatchIterator> fromOffset(long offset) {
        return from(index.floorByOffset(offset), b -> b.nextOffset() > offset);
    }

    /**
     * The batches from the first whose max timestamp is at least {@code timestamp} on (the first
     * that may hold a record at or after it; the caller skips earlier records in it); empty if
     * every record of the object is earlier.
     */
    public Optional<TierBatchIterator> fromTimestamp(long timestamp) {
        return from(index.firstReaching(timestamp), b -> b.maxTimestamp() >= timestamp);
    }

    private Optional<TierBatchIterator> from(
            Optional<TierIndexEntry> entry, Predicate<Batch> wanted) {
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        TierBatchIterator it = iterator(entry.get());
        try {
            if (!it.skipUntil(wanted)) {
                // The index promised a batch in this group: a writer bug or a corrupt object.
                throw new CorruptObjectException(
                        "Corrupt tier object "
                                + path
                                + ": its index points to batch "
                                + entry.get().seq()
                                + " for a lookup, but no batch from there on matches it");
            }
            return Optional.of(it);
        } catch (RuntimeException e) {
            it.close();
            throw e;
        }
    }
}
