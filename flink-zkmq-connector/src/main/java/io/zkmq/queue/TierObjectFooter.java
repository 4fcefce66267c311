package io.zkmq.queue;

import io.zkmq.error.CorruptObjectException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.apache.flink.annotation.Internal;

/**
 * The fixed-size footer of a tier object (layout in {@link TierObjectFormat}): what the object
 * holds and where its index is. Validated on construction, so a decoded footer is self-consistent.
 */
@Internal
public record TierObjectFooter(
        long firstSeq,
        long lastSeq,
        long baseOffset,
        long recordCount,
        long minTimestamp,
        long maxTimestamp,
        long indexPosition,
        int indexLength,
        int indexInterval,
        int indexCrc) {

    public TierObjectFooter {
        if (firstSeq < 0 || lastSeq < firstSeq) {
            throw new IllegalArgumentException(
                    "seq range " + firstSeq + ".." + lastSeq + " is empty or negative");
        }
        long batches = lastSeq - firstSeq + 1;
        if (baseOffset < 0 || recordCount < batches) {
            throw new IllegalArgumentException(
                    "base offset "
                            + baseOffset
                            + " / "
                            + recordCount
                            + " records for "
                            + batches
                            + " batches (every batch has at least one record)");
        }
        if (minTimestamp > maxTimestamp) {
            throw new IllegalArgumentException(
                    "min timestamp " + minTimestamp + " > max timestamp " + maxTimestamp);
        }
        if (indexPosition < batches * BatchFormat.HEADER_LENGTH_V1) {
            throw new IllegalArgumentException(
                    "index position "
                            + indexPosition
                            + " leaves less than a batch header for each of "
                            + batches
                            + " batches");
        }
        if (indexInterval < 1) {
            throw new IllegalArgumentException("index interval " + indexInterval + " < 1");
        }
        long entries = (batches + indexInterval - 1) / indexInterval;
        if (indexLength != entries * TierObjectFormat.INDEX_ENTRY_SIZE) {
            throw new IllegalArgumentException(
                    "index length "
                            + indexLength
                            + " for "
                            + batches
                            + " batches indexed every "
                            + indexInterval
                            + " (expected "
                            + entries * TierObjectFormat.INDEX_ENTRY_SIZE
                            + ")");
        }
    }

    public long batchCount() {
        return lastSeq - firstSeq + 1;
    }

    public int indexEntries() {
        return indexLength / TierObjectFormat.INDEX_ENTRY_SIZE;
    }

    /** Offset one past the last record of the object. */
    public long nextOffset() {
        return baseOffset + recordCount;
    }

    /** Length of the whole object in bytes: batches, index, footer. */
    public long objectLength() {
        return indexPosition + indexLength + TierObjectFormat.FOOTER_SIZE;
    }

    /**
     * The footer's own CRC32C (its first four bytes once encoded); identifies the object's content.
     */
    public int crc() {
        return ByteBuffer.wrap(encode()).getInt(TierObjectFormat.FOOTER_CRC_OFFSET);
    }

    public byte[] encode() {
        byte[] out = new byte[TierObjectFormat.FOOTER_SIZE];
        ByteBuffer b = ByteBuffer.wrap(out);
        b.putLong(TierObjectFormat.FIRST_SEQ_OFFSET, firstSeq);
        b.putLong(TierObjectFormat.LAST_SEQ_OFFSET, lastSeq);
        b.putLong(TierObjectFormat.BASE_OFFSET_OFFSET, baseOffset);
        b.putLong(TierObjectFormat.RECORD_COUNT_OFFSET, recordCount);
        b.putLong(TierObjectFormat.BATCH_COUNT_OFFSET, batchCount());
        b.putLong(TierObjectFormat.MIN_TIMESTAMP_OFFSET, minTimestamp);
        b.putLong(TierObjectFormat.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        b.putLong(TierObjectFormat.INDEX_POSITION_OFFSET, indexPosition);
        b.putInt(TierObjectFormat.INDEX_LENGTH_OFFSET, indexLength);
        b.putInt(TierObjectFormat.INDEX_INTERVAL_OFFSET, indexInterval);
        b.putInt(TierObjectFormat.INDEX_CRC_OFFSET, indexCrc);
        b.putShort(TierObjectFormat.FOOTER_LENGTH_OFFSET, (short) TierObjectFormat.FOOTER_SIZE);
        b.put(TierObjectFormat.FLAGS_OFFSET, (byte) 0);
        b.put(TierObjectFormat.VERSION_OFFSET, TierObjectFormat.VERSION_1);
        b.putInt(TierObjectFormat.MAGIC_OFFSET, TierObjectFormat.MAGIC);
        b.putInt(
                TierObjectFormat.FOOTER_CRC_OFFSET,
                crc32c(out, TierObjectFormat.FOOTER_CRC_START, out.length));
        return out;
    }

    /**
     * Decodes and verifies the last {@link TierObjectFormat#FOOTER_SIZE} bytes of the object at
     * {@code objectPath}, which is {@code objectLength} bytes long. Checks, in order: magic,
     * version, footer length and flags, CRC32C, field consistency, and that the footer describes
     * exactly {@code objectLength} bytes (so a truncated or extended object is refused).
     */
    public static TierObjectFooter decode(byte[] footer, long objectLength, String objectPath) {
        if (objectLength < TierObjectFormat.FOOTER_SIZE
                || footer.length != TierObjectFormat.FOOTER_SIZE) {
            throw corrupt(
                    objectPath,
                    "it has "
                            + objectLength
                            + " bytes, fewer than its "
                            + TierObjectFormat.FOOTER_SIZE
                            + "-byte footer (truncated)");
        }
        ByteBuffer b = ByteBuffer.wrap(footer);
        int magic = b.getInt(TierObjectFormat.MAGIC_OFFSET);
        if (magic != TierObjectFormat.MAGIC) {
            throw corrupt(
                    objectPath,
                    String.format(
                            "no footer at its end: bad magic 0x%08X (expected 0x%08X); the object is"
                                    + " truncated or not a tier object",
                            magic, TierObjectFormat.MAGIC));
        }
        byte version = b.get(TierObjectFormat.VERSION_OFFSET);
        if (version != TierObjectFormat.VERSION_1) {
            throw corrupt(
                    objectPath,
                    "unknown footer format version "
                            + version
                            + " (this reader knows version "
                            + TierObjectFormat.VERSION_1
                            + "; upgrade the reader)");
        }
        int length = b.getShort(TierObjectFormat.FOOTER_LENGTH_OFFSET) & 0xFFFF;
        byte flags = b.get(TierObjectFormat.FLAGS_OFFSET);
        if (length != TierObjectFormat.FOOTER_SIZE || flags != 0) {
            throw corrupt(
                    objectPath,
                    "footer length "
                            + length
                            + " / flags 0x"
                            + Integer.toHexString(flags & 0xFF)
                            + " (expected "
                            + TierObjectFormat.FOOTER_SIZE
                            + " / 0x0)");
        }
        int stored = b.getInt(TierObjectFormat.FOOTER_CRC_OFFSET);
        int computed = crc32c(footer, TierObjectFormat.FOOTER_CRC_START, footer.length);
        if (stored != computed) {
            throw corrupt(
                    objectPath,
                    String.format(
                            "footer CRC32C mismatch (stored 0x%08X, computed 0x%08X)",
                            stored, computed));
        }
        TierObjectFooter decoded;
        try {
            decoded =
                    new TierObjectFooter(
                            b.getLong(TierObjectFormat.FIRST_SEQ_OFFSET),
                            b.getLong(TierObjectFormat.LAST_SEQ_OFFSET),
                            b.getLong(TierObjectFormat.BASE_OFFSET_OFFSET),
                            b.getLong(TierObjectFormat.RECORD_COUNT_OFFSET),
                            b.getLong(TierObjectFormat.MIN_TIMESTAMP_OFFSET),
                            b.getLong(TierObjectFormat.MAX_TIMESTAMP_OFFSET),
                            b.getLong(TierObjectFormat.INDEX_POSITION_OFFSET),
                            b.getInt(TierObjectFormat.INDEX_LENGTH_OFFSET),
                            b.getInt(TierObjectFormat.INDEX_INTERVAL_OFFSET),
                            b.getInt(TierObjectFormat.INDEX_CRC_OFFSET));
        } catch (IllegalArgumentException e) {
            throw corrupt(objectPath, "inconsistent footer: " + e.getMessage());
        }
        long batchCount = b.getLong(TierObjectFormat.BATCH_COUNT_OFFSET);
        if (batchCount != decoded.batchCount()) {
            throw corrupt(
                    objectPath,
                    "footer batch count "
                            + batchCount
                            + " does not match its seq range "
                            + decoded.firstSeq()
                            + ".."
                            + decoded.lastSeq());
        }
        if (decoded.objectLength() != objectLength) {
            throw corrupt(
                    objectPath,
                    "it has "
                            + objectLength
                            + " bytes, but its footer describes "
                            + decoded.objectLength()
                            + " (index at "
                            + decoded.indexPosition()
                            + ", "
                            + decoded.indexLength()
                            + " bytes)");
        }
        return decoded;
    }

    static int crc32c(byte[] data, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(data, from, to - from);
        return (int) crc.getValue();
    }

    static CorruptObjectException corrupt(String objectPath, String why) {
        return new CorruptObjectException("Corrupt tier object " + objectPath + ": " + why);
    }
}
