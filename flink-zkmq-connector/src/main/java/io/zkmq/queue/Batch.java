package io.zkmq.queue;

import io.zkmq.error.CorruptBatchException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.apache.flink.annotation.Internal;

/**
 * A stored batch, parsed and verified. {@link #parse} checks magic, version, codec, lengths and the
 * CRC32C before anything is trusted, and throws {@link CorruptBatchException} naming the queue,
 * partition, batch number and znode on any mismatch: a corrupt batch is never skipped.
 */
@Internal
public final class Batch {
    private final String queue;
    private final int partition;
    private final long seq;
    private final byte[] data;
    private final long baseOffset;
    private final int recordCount;
    private final long firstTimestamp;
    private final long maxTimestamp;
    private final UUID producerId;
    private final long producerSequence;

    private final boolean reference;

    private Batch(String queue, int partition, long seq, byte[] data) {
        this(
                queue,
                partition,
                seq,
                data,
                ByteBuffer.wrap(data).getLong(BatchFormat.BASE_OFFSET_OFFSET));
    }

    private Batch(String queue, int partition, long seq, byte[] data, long baseOffset) {
        this.queue = queue;
        this.partition = partition;
        this.seq = seq;
        this.data = data;
        ByteBuffer b = ByteBuffer.wrap(data);
        this.reference =
                (b.get(BatchFormat.ATTRIBUTES_OFFSET) & BatchFormat.ATTRIBUTE_REFERENCE) != 0;
        this.baseOffset = baseOffset;
        this.recordCount = b.getInt(BatchFormat.RECORD_COUNT_OFFSET);
        this.firstTimestamp = b.getLong(BatchFormat.FIRST_TIMESTAMP_OFFSET);
        this.maxTimestamp = b.getLong(BatchFormat.MAX_TIMESTAMP_OFFSET);
        this.producerId =
                new UUID(
                        b.getLong(BatchFormat.PRODUCER_ID_OFFSET),
                        b.getLong(BatchFormat.PRODUCER_ID_OFFSET + 8));
        this.producerSequence = b.getLong(BatchFormat.PRODUCER_SEQUENCE_OFFSET);
    }

    /** Parses and verifies the header and checksum of the batch stored at {@code seq}. */
    public static Batch parse(String queue, int partition, long seq, String path, byte[] data) {
        if (data == null || data.length < BatchFormat.HEADER_LENGTH_V1) {
            throw corrupt(
                    queue,
                    partition,
                    seq,
                    path,
                    "it has "
                            + (data == null ? 0 : data.length)
                            + " bytes, fewer than the "
                            + BatchFormat.HEADER_LENGTH_V1
                            + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int magic = b.getInt(BatchFormat.MAGIC_OFFSET);
        if (magic != BatchFormat.MAGIC) {
            throw corrupt(
                    queue,
                    partition,
                    seq,
                    path,
                    String.format("bad magic 0x%08X (expected 0x%08X)", magic, BatchFormat.MAGIC));
        }
        byte version = b.get(BatchFormat.VERSION_OFFSET);
        if (version != BatchFormat.VERSION_1) {
            throw corrupt(
                    queue,
                    partition,
                    seq,
                    path,
                    "unknown format version "
                            + version
                            + " (this reader knows version "
                            + BatchFormat.VERSION_1
                            + "; upgrade the reader)");
        }
        byte attributes = b.get(BatchFormat.ATTRIBUTES_OFFSET);
        if (attributes != BatchFormat.CODEC_NONE && attributes != BatchFormat.ATTRIBUTE_REFERENCE) {
            throw corrupt(
                    queue,
                    partition,
                    seq,
                    path,
                    "unknown attributes 0x" + Integer.toHexString(attributes & 0xFF));
        }
        int headerLength = b.getShort(BatchFormat.HEADER_LENGTH_OFFSET) & 0xFFFF;
        int recordsLength = b.getInt(BatchFormat.RECORDS_LENGTH_OFFSET);
        if (headerLength != BatchFormat.HEADER_LENGTH_V1
                || recordsLength != data.length - headerLength) {
            throw corrupt(
                    queue,
                    partition,
                    seq,
                    path,
                    "header length "
                            + headerLength
                            + " and records length "
                            + recordsLength
                            + " do not match the "
                            + data.length
                            + " stored bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(data, BatchFormat.CRC_START, data.length - BatchFormat.CRC_START);
        int expected = b.getInt(BatchFormat.CRC_OFFSET);
        if ((int) crc.getValue() != expected) {
            throw corrupt(
                    queue,
                    partition,
                    seq,
                    path,
                    String.format(
                            "CRC32C mismatch (stored 0x%08X, computed 0x%08X)",
                            expected, (int) crc.getValue()));
        }
        Batch batch = new Batch(queue, partition, seq, data);
        if (batch.recordCount < 1 || batch.baseOffset < 0) {
            throw corrupt(
                    queue,
                    partition,
                    seq,
                    path,
                    "record count "
                            + batch.recordCount
                            + " / base offset "
                            + batch.baseOffset
                            + " out of range");
        }
        // The attributes byte is outside the CRC (like the header fields before it): a reference
        // must
        // also point into its own partition's staged batches, which a flipped bit in an ordinary
        // batch does not.
        if (batch.reference && !ZkmqPaths.isStagedBatch(queue, partition, batch.referencedPath())) {
            throw corrupt(
                    queue,
                    partition,
                    seq,
                    path,
                    "it is marked as a reference, but its records section is not"
                            + " the path of a staged batch of this partition");
        }
        return batch;
    }

    /**
     * Whether this is a reference batch (an exactly-once commit) whose records live in a staged
     * batch.
     */
    public boolean isReference() {
        return reference;
    }

    /** The znode path (within the namespace) of the staged batch a reference batch stands for. */
    public String referencedPath() {
        if (!reference) {
            throw new IllegalStateException(
                    "Batch "
                            + seq
                            + " of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " is not a reference");
        }
        return new String(
                data,
                BatchFormat.HEADER_LENGTH_V1,
                data.length - BatchFormat.HEADER_LENGTH_V1,
                StandardCharsets.UTF_8);
    }

    /** Whether {@code data} (unverified) is a reference batch, from its attributes byte. */
    public static boolean looksLikeReference(byte[] data) {
        return data != null
                && data.length > BatchFormat.HEADER_LENGTH_V1
                && (data[BatchFormat.ATTRIBUTES_OFFSET] & BatchFormat.ATTRIBUTE_REFERENCE) != 0;
    }

    /**
     * The batch a reference stands for: the staged batch's records (verified by its own CRC32C) at
     * this reference's batch number and offsets.
     */
    public Batch resolve(byte[] stagedData, String stagedPath) {
        Batch staged = parse(queue, partition, seq, stagedPath, stagedData);
        if (staged.reference
                || staged.recordCount != recordCount
                || staged.producerSequence != producerSequence
                || !staged.producerId.equals(producerId)) {
            throw new CorruptBatchException(
                    "Batch "
                            + seq
                            + " of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " references staged batch "
                            + stagedPath
                            + " whose header does not match ("
                            + staged.recordCount
                            + " records of producer "
                            + staged.producerId
                            + "/"
                            + staged.producerSequence
                            + ", expected "
                            + recordCount
                            + " of "
                            + producerId
                            + "/"
                            + producerSequence
                            + ")");
        }
        return new Batch(queue, partition, seq, stagedData, baseOffset);
    }

    private static CorruptBatchException corrupt(
            String queue, int partition, long seq, String path, String why) {
        return new CorruptBatchException(
                "Corrupt batch "
                        + seq
                        + " of queue '"
                        + queue
                        + "' partition "
                        + partition
                        + " at znode "
                        + path
                        + ": "
                        + why);
    }

    public long seq() {
        return seq;
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Offset one past the last record of this batch. */
    public long nextOffset() {
        return baseOffset + recordCount;
    }

    public int recordCount() {
        return recordCount;
    }

    public long firstTimestamp() {
        return firstTimestamp;
    }

    public long maxTimestamp() {
        return maxTimestamp;
    }

    public UUID producerId() {
        return producerId;
    }

    public long producerSequence() {
        return producerSequence;
    }

    public int sizeInBytes() {
        return data.length;
    }

    /** Decodes every record. */
    public List<QueueRecord> records() {
        return records(baseOffset);
    }

    /** Decodes the records whose offset is at least {@code fromOffset}. */
    public List<QueueRecord> records(long fromOffset) {
        if (reference) {
            throw new IllegalStateException(
                    "Batch "
                            + seq
                            + " of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " is a reference to "
                            + referencedPath()
                            + "; resolve it with the staged batch first");
        }
        List<QueueRecord> out =
                new ArrayList<>(
                        (int) Math.max(0, Math.min(recordCount, nextOffset() - fromOffset)));
        Reader r = new Reader();
        for (int i = 0; i < recordCount; i++) {
            long offset = baseOffset + i;
            if (offset < fromOffset) {
                r.skipRecord();
            } else {
                out.add(new QueueRecord(queue, partition, offset, r.readRecord()));
            }
        }
        if (r.pos != data.length) {
            throw corruptRecords("records end at byte " + r.pos + " of " + data.length);
        }
        return out;
    }

    private CorruptBatchException corruptRecords(String why) {
        return new CorruptBatchException(
                "Corrupt records in batch "
                        + seq
                        + " of queue '"
                        + queue
                        + "' partition "
                        + partition
                        + ": "
                        + why);
    }

    /** Sequential varint reader over the records section with bounds checks on every length. */
    private final class Reader {
        int pos = BatchFormat.HEADER_LENGTH_V1;

        void skipRecord() {
            int length = (int) readUnsigned();
            checkAvailable(length);
            pos += length;
        }

        Record readRecord() {
            int length = (int) readUnsigned();
            checkAvailable(length);
            int end = pos + length;
            long timestamp = firstTimestamp + readSigned();
            byte[] key = readBytes();
            byte[] value = readBytes();
            int headerCount = (int) readUnsigned();
            List<Header> headers;
            if (headerCount == 0) {
                headers = List.of();
            } else {
                if (headerCount < 0 || headerCount > length) {
                    throw corruptRecords("header count " + headerCount);
                }
                Header[] hs = new Header[headerCount];
                for (int i = 0; i < headerCount; i++) {
                    int keyLength = (int) readUnsigned();
                    checkAvailable(keyLength);
                    String k = new String(data, pos, keyLength, StandardCharsets.UTF_8);
                    pos += keyLength;
                    hs[i] = new Header(k, readBytes());
                }
                headers = Arrays.asList(hs);
            }
            if (pos != end) {
                throw corruptRecords("record length " + length + " does not match its fields");
            }
            return new Record(key, value, headers, timestamp);
        }

        private byte[] readBytes() {
            long length = readSigned();
            if (length == -1) {
                return null;
            }
            if (length < 0) {
                throw corruptRecords("negative length " + length);
            }
            checkAvailable(length);
            byte[] b = Arrays.copyOfRange(data, pos, pos + (int) length);
            pos += (int) length;
            return b;
        }

        private void checkAvailable(long length) {
            if (length < 0 || length > data.length - pos) {
                throw corruptRecords(
                        "length "
                                + length
                                + " at byte "
                                + pos
                                + " runs past the end ("
                                + data.length
                                + ")");
            }
        }

        private long readSigned() {
            return Varints.unzigzag(readUnsigned());
        }

        private long readUnsigned() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= data.length) {
                    throw corruptRecords("varint runs past the end");
                }
                byte b = data[pos++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw corruptRecords("varint longer than 10 bytes");
        }
    }
}
