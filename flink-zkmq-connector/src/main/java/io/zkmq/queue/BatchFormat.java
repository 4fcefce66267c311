package io.zkmq.queue;

import org.apache.flink.annotation.Internal;

/**
 * Constants of the batch byte format, version 1 (specified byte by byte in docs/format.md).
 *
 * <pre>
 * offset size field
 *  0      4   magic 0x5A4B4D51 ("ZKMQ")
 *  4      1   format version (1)
 *  5      1   attributes: bits 0-2 codec (0 = none); bit 3 reference (see below); all other bits 0
 *  6      2   header length in bytes (68 for version 1)
 *  8      4   CRC32C of every byte from offset 12 to the end of the batch
 * 12      8   base offset: offset of the first record
 * 20      4   record count (at least 1)
 * 24      8   first timestamp (of the first record)
 * 32      8   max timestamp
 * 40     16   producer id (UUID, most then least significant bits)
 * 56      8   producer sequence (per producer, for duplicate detection on retries)
 * 64      4   records length in bytes
 * 68      ... records
 * </pre>
 *
 * All integers are big-endian. Each record is: varint length of the rest of the record, zigzag
 * varlong timestamp delta (to the first timestamp), zigzag varint key length (-1 = null), key,
 * zigzag varint value length (-1 = null), value, varint header count, then per header: varint key
 * length, UTF-8 key, zigzag varint value length (-1 = null), value. Offsets are implicit: the i-th
 * record has offset base offset + i.
 *
 * <p>A <b>reference batch</b> (attribute bit 3) is what an exactly-once sink's commit appends: its
 * header is a normal header (base offset, record count, timestamps, producer id and sequence of the
 * records it stands for) and its records section is the UTF-8 path of a staged batch znode, itself
 * an ordinary version 1 batch written with base offset 0. Readers fetch the staged batch and give
 * its records the reference's offsets, so payload bytes are written once.
 */
@Internal
public final class BatchFormat {
    public static final int MAGIC = 0x5A4B4D51;
    public static final byte VERSION_1 = 1;
    public static final byte CODEC_NONE = 0;
    public static final int CODEC_MASK = 0x07;
    public static final byte ATTRIBUTE_REFERENCE = 0x08;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int ATTRIBUTES_OFFSET = 5;
    static final int HEADER_LENGTH_OFFSET = 6;
    static final int CRC_OFFSET = 8;
    static final int BASE_OFFSET_OFFSET = 12;
    static final int RECORD_COUNT_OFFSET = 20;
    static final int FIRST_TIMESTAMP_OFFSET = 24;
    static final int MAX_TIMESTAMP_OFFSET = 32;
    static final int PRODUCER_ID_OFFSET = 40;
    static final int PRODUCER_SEQUENCE_OFFSET = 56;
    static final int RECORDS_LENGTH_OFFSET = 64;

    /** Header length of version 1; also the offset of the first record. */
    public static final int HEADER_LENGTH_V1 = 68;

    /** Where the checksummed region starts. */
    static final int CRC_START = 12;

    private BatchFormat() {}
}
