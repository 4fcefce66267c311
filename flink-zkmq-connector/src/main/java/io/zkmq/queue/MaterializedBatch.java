package io.zkmq.queue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A reference batch turned into the plain batch readers see when they resolve it: the staged
 * batch's bytes (records, timestamps, producer id and sequence) with the reference's base offset
 * and a fresh CRC32C. A tier object holds this instead of the reference, so it never points back
 * into ZooKeeper, whose staged batches retention deletes.
 */
final class MaterializedBatch {
    private MaterializedBatch() {}

    /**
     * The plain batch that reference {@code reference} stands for. {@code stagedData} is checked as
     * the reader checks it ({@link Batch#resolve}: its own CRC, not a reference, same record count,
     * producer id and sequence), so a mismatch throws the reader's {@code CorruptBatchException}.
     */
    public static byte[] encode(Batch reference, byte[] stagedData) {
        Batch resolved = reference.resolve(stagedData, reference.referencedPath());
        byte[] out = Arrays.copyOf(stagedData, stagedData.length);
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putLong(BatchFormat.BASE_OFFSET_OFFSET, resolved.baseOffset());
        CRC32C crc = new CRC32C();
        crc.update(out, BatchFormat.CRC_START, out.length - BatchFormat.CRC_START);
        b.putInt(BatchFormat.CRC_OFFSET, (int) crc.getValue());
        return out;
    }
}
