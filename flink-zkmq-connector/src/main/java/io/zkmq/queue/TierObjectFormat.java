package io.zkmq.queue;

import org.apache.flink.annotation.Internal;

/**
 * Constants of the tier object format, version 1 (specified byte by byte in docs/format.md, "Tier
 * objects"). An object is one partition's consecutive batches moved out of ZooKeeper:
 *
 * <pre>
 * [batch][batch]...[batch]   batch format version 1, byte for byte; reference batches materialized
 * [index]                     one 32-byte entry per {@code indexInterval} batches, the first batch included
 * [footer]                    {@value #FOOTER_SIZE} bytes, fixed size, ends with the magic "ZKTO"
 * </pre>
 *
 * The footer sits at the end so a reader finds it from the object length alone (one range read),
 * then the index (one range read), then the batch it wants (one sequential range read).
 *
 * <pre>
 * footer offset size field
 *  0      4   footer CRC32C of footer bytes 4..87
 *  4      8   first seq
 * 12      8   last seq
 * 20      8   base offset (of the first record)
 * 28      8   record count
 * 36      8   batch count (= last seq - first seq + 1)
 * 44      8   min timestamp over all records
 * 52      8   max timestamp over all records
 * 60      8   index position (byte offset of the index = total bytes of the batches)
 * 68      4   index length in bytes (= entries * 32)
 * 72      4   index interval N
 * 76      4   index CRC32C
 * 80      2   footer length (88)
 * 82      1   flags (0)
 * 83      1   format version (1)
 * 84      4   magic 0x5A4B544F ("ZKTO")
 *
 * index entry: seq (8), base offset (8), max timestamp through its group (8), position (8)
 * </pre>
 */
@Internal
public final class TierObjectFormat {
    public static final int MAGIC = 0x5A4B544F;
    public static final byte VERSION_1 = 1;
    public static final int FOOTER_SIZE = 88;
    public static final int INDEX_ENTRY_SIZE = 32;

    /**
     * Index every 8th batch: with 64-512 KiB batches a lookup reads at most 7 batches it does not
     * want, and the index costs 4 bytes per batch.
     */
    public static final int DEFAULT_INDEX_INTERVAL = 8;

    static final int FOOTER_CRC_OFFSET = 0;
    static final int FIRST_SEQ_OFFSET = 4;
    static final int LAST_SEQ_OFFSET = 12;
    static final int BASE_OFFSET_OFFSET = 20;
    static final int RECORD_COUNT_OFFSET = 28;
    static final int BATCH_COUNT_OFFSET = 36;
    static final int MIN_TIMESTAMP_OFFSET = 44;
    static final int MAX_TIMESTAMP_OFFSET = 52;
    static final int INDEX_POSITION_OFFSET = 60;
    static final int INDEX_LENGTH_OFFSET = 68;
    static final int INDEX_INTERVAL_OFFSET = 72;
    static final int INDEX_CRC_OFFSET = 76;
    static final int FOOTER_LENGTH_OFFSET = 80;
    static final int FLAGS_OFFSET = 82;
    static final int VERSION_OFFSET = 83;
    static final int MAGIC_OFFSET = 84;

    /** Where the footer's checksummed region starts (everything after the CRC field). */
    static final int FOOTER_CRC_START = 4;

    private TierObjectFormat() {}
}
