package io.zkmq.queue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.apache.flink.annotation.Internal;

/**
 * Encodes a reference batch: a version 1 header for the staged records plus the staged batch's
 * path.
 */
@Internal
public final class ReferenceBatch {
    private ReferenceBatch() {}

    public static byte[] encode(long baseOffset, StagedBatch staged) {
        byte[] path = staged.path().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[BatchFormat.HEADER_LENGTH_V1 + path.length];
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putInt(BatchFormat.MAGIC_OFFSET, BatchFormat.MAGIC);
        b.put(BatchFormat.VERSION_OFFSET, BatchFormat.VERSION_1);
        b.put(BatchFormat.ATTRIBUTES_OFFSET, BatchFormat.ATTRIBUTE_REFERENCE);
        b.putShort(BatchFormat.HEADER_LENGTH_OFFSET, (short) BatchFormat.HEADER_LENGTH_V1);
        b.putLong(BatchFormat.BASE_OFFSET_OFFSET, baseOffset);
        b.putInt(BatchFormat.RECORD_COUNT_OFFSET, staged.records());
        b.putLong(BatchFormat.FIRST_TIMESTAMP_OFFSET, staged.firstTimestamp());
        b.putLong(BatchFormat.MAX_TIMESTAMP_OFFSET, staged.maxTimestamp());
        b.putLong(BatchFormat.PRODUCER_ID_OFFSET, staged.producerId().getMostSignificantBits());
        b.putLong(
                BatchFormat.PRODUCER_ID_OFFSET + 8, staged.producerId().getLeastSignificantBits());
        b.putLong(BatchFormat.PRODUCER_SEQUENCE_OFFSET, staged.producerSequence());
        b.putInt(BatchFormat.RECORDS_LENGTH_OFFSET, path.length);
        System.arraycopy(path, 0, out, BatchFormat.HEADER_LENGTH_V1, path.length);
        CRC32C crc = new CRC32C();
        crc.update(out, BatchFormat.CRC_START, out.length - BatchFormat.CRC_START);
        b.putInt(BatchFormat.CRC_OFFSET, (int) crc.getValue());
        return out;
    }
}
