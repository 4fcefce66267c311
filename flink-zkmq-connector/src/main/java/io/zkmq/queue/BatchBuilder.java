package io.zkmq.queue;

import io.zkmq.error.RecordTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Accumulates records in their encoded form until the batch reaches its byte limit, then {@link
 * #seal seals} them into a {@link SealedBatch}. Not thread-safe: one builder per open batch.
 */
@Internal
public final class BatchBuilder {
    private final int maxBatchBytes;
    private byte[] buf;
    private int pos = BatchFormat.HEADER_LENGTH_V1;
    private int count;
    private long firstTimestamp;
    private long maxTimestamp = Long.MIN_VALUE;

    /**
     * @param maxBatchBytes the most bytes a sealed batch may have, header included
     */
    public BatchBuilder(int maxBatchBytes, int initialCapacity) {
        if (maxBatchBytes <= BatchFormat.HEADER_LENGTH_V1) {
            throw new IllegalArgumentException("maxBatchBytes too small: " + maxBatchBytes);
        }
        this.maxBatchBytes = maxBatchBytes;
        this.buf =
                new byte
                        [Math.max(
                                BatchFormat.HEADER_LENGTH_V1 + 64,
                                Math.min(initialCapacity, maxBatchBytes))];
    }

    /**
     * Encoded size of {@code record} in a batch whose first timestamp is {@code firstTimestamp}.
     */
    public static int encodedSize(Record record, long firstTimestamp) {
        int body = bodySize(record, firstTimestamp);
        return Varints.sizeOfUnsigned(body) + body;
    }

    /** The largest record a batch of {@code maxBatchBytes} can hold, as encoded. */
    public static int maxRecordBytes(int maxBatchBytes) {
        return maxBatchBytes - BatchFormat.HEADER_LENGTH_V1;
    }

    /**
     * Appends the record if it fits. Returns false when the batch is non-empty and the record does
     * not fit; throws {@link RecordTooLargeException} when it would not fit even in an empty batch.
     */
    public boolean tryAppend(Record record) {
        long first = count == 0 ? record.timestamp() : firstTimestamp;
        int body = bodySize(record, first);
        int size = Varints.sizeOfUnsigned(body) + body;
        if (BatchFormat.HEADER_LENGTH_V1 + size > maxBatchBytes) {
            throw new RecordTooLargeException(
                    "Record of "
                            + size
                            + " encoded bytes exceeds the batch limit of "
                            + maxBatchBytes
                            + " bytes ("
                            + maxRecordBytes(maxBatchBytes)
                            + " bytes for one record); raise the queue's"
                            + " maxBatchBytes (at most "
                            + QueueConfig.MAX_BATCH_BYTES_LIMIT
                            + ") or send smaller records");
        }
        if (pos + size > maxBatchBytes) {
            return false;
        }
        ensureCapacity(pos + size);
        if (count == 0) {
            firstTimestamp = record.timestamp();
        }
        pos = Varints.writeUnsigned(buf, pos, body);
        pos = Varints.writeSigned(buf, pos, record.timestamp() - firstTimestamp);
        pos = writeBytes(record.key(), pos);
        pos = writeBytes(record.value(), pos);
        List<Header> headers = record.headers();
        pos = Varints.writeUnsigned(buf, pos, headers.size());
        for (Header h : headers) {
            byte[] k = h.key().getBytes(StandardCharsets.UTF_8);
            pos = Varints.writeUnsigned(buf, pos, k.length);
            System.arraycopy(k, 0, buf, pos, k.length);
            pos += k.length;
            pos = writeBytes(h.value(), pos);
        }
        maxTimestamp = Math.max(maxTimestamp, record.timestamp());
        count++;
        return true;
    }

    public int recordCount() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Bytes the sealed batch will have. */
    public int sizeInBytes() {
        return pos;
    }

    /** Seals the records appended so far; the builder must not be used afterwards. */
    public SealedBatch seal() {
        if (count == 0) {
            throw new IllegalStateException("Cannot seal an empty batch");
        }
        byte[] bytes = pos == buf.length ? buf : Arrays.copyOf(buf, pos);
        buf = null;
        return SealedBatch.fromRecords(bytes, count, firstTimestamp, maxTimestamp);
    }

    private int writeBytes(byte[] b, int p) {
        if (b == null) {
            return Varints.writeSigned(buf, p, -1);
        }
        p = Varints.writeSigned(buf, p, b.length);
        System.arraycopy(b, 0, buf, p, b.length);
        return p + b.length;
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.min(maxBatchBytes, Math.max(needed, buf.length * 2)));
        }
    }

    private static int bodySize(Record r, long firstTimestamp) {
        int size =
                Varints.sizeOfSigned(r.timestamp() - firstTimestamp)
                        + bytesSize(r.key())
                        + bytesSize(r.value());
        List<Header> headers = r.headers();
        size += Varints.sizeOfUnsigned(headers.size());
        for (Header h : headers) {
            int k = utf8Length(h.key());
            size += Varints.sizeOfUnsigned(k) + k + bytesSize(h.value());
        }
        return size;
    }

    private static int bytesSize(byte[] b) {
        return b == null ? Varints.sizeOfSigned(-1) : Varints.sizeOfSigned(b.length) + b.length;
    }

    private static int utf8Length(String s) {
        // Header keys are short; the simple way is fast enough and exactly right for all code
        // points.
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
