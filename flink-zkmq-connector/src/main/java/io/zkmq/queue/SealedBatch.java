package io.zkmq.queue;

import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.apache.flink.annotation.Internal;

/**
 * A batch ready to append: encoded records plus header. The base offset is only known when the
 * append wins its batch number, so {@link #encode} stamps it (with producer identity) and computes
 * the checksum for each attempt. Immutable apart from the encode buffer it owns.
 */
@Internal
public final class SealedBatch {
    private final byte[] bytes;
    private final int recordCount;
    private final long firstTimestamp;
    private final long maxTimestamp;

    private SealedBatch(byte[] bytes, int recordCount, long firstTimestamp, long maxTimestamp) {
        this.bytes = bytes;
        this.recordCount = recordCount;
        this.firstTimestamp = firstTimestamp;
        this.maxTimestamp = maxTimestamp;
    }

    static SealedBatch fromRecords(
            byte[] bytes, int recordCount, long firstTimestamp, long maxTimestamp) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.putInt(BatchFormat.MAGIC_OFFSET, BatchFormat.MAGIC);
        b.put(BatchFormat.VERSION_OFFSET, BatchFormat.VERSION_1);
        b.put(BatchFormat.ATTRIBUTES_OFFSET, BatchFormat.CODEC_NONE);
        b.putShort(BatchFormat.HEADER_LENGTH_OFFSET, (short) BatchFormat.HEADER_LENGTH_V1);
        b.putInt(BatchFormat.RECORD_COUNT_OFFSET, recordCount);
        b.putLong(BatchFormat.FIRST_TIMESTAMP_OFFSET, firstTimestamp);
        b.putLong(BatchFormat.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        b.putInt(BatchFormat.RECORDS_LENGTH_OFFSET, bytes.length - BatchFormat.HEADER_LENGTH_V1);
        return new SealedBatch(bytes, recordCount, firstTimestamp, maxTimestamp);
    }

    /**
     * Stamps base offset, producer id and sequence into the header and computes the CRC32C. Returns
     * the batch's bytes; the array is reused by the next call, so hand it to ZooKeeper before
     * encoding again.
     */
    public byte[] encode(long baseOffset, UUID producerId, long producerSequence) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.putLong(BatchFormat.BASE_OFFSET_OFFSET, baseOffset);
        b.putLong(BatchFormat.PRODUCER_ID_OFFSET, producerId.getMostSignificantBits());
        b.putLong(BatchFormat.PRODUCER_ID_OFFSET + 8, producerId.getLeastSignificantBits());
        b.putLong(BatchFormat.PRODUCER_SEQUENCE_OFFSET, producerSequence);
        CRC32C crc = new CRC32C();
        crc.update(bytes, BatchFormat.CRC_START, bytes.length - BatchFormat.CRC_START);
        b.putInt(BatchFormat.CRC_OFFSET, (int) crc.getValue());
        return bytes;
    }

    public int recordCount() {
        return recordCount;
    }

    public int sizeInBytes() {
        return bytes.length;
    }

    public long firstTimestamp() {
        return firstTimestamp;
    }

    public long maxTimestamp() {
        return maxTimestamp;
    }
}
