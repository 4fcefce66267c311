package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.CorruptObjectException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The tier object bytes, pinned: any change here breaks objects already in the tier. */
class TierObjectFormatTest {
    private static final UUID PRODUCER = new UUID(0x0102030405060708L, 0x090A0B0C0D0E0F10L);
    private static final String PATH =
            "file:/tier/zkmq/q/3/0000000000000000009-00000000000000ff.zkseg";

    /** The worked example of docs/format.md: the documented 88-byte batch alone, as batch 9. */
    private static final String GOLDEN_OBJECT =
            // the batch, exactly as in BatchCodecTest / docs/format.md "Worked example"
            "5a4b4d510100004423bb8222000000000000002a0000000200000000000003e800000000000003ea"
                    + "0102030405060708090a0b0c0d0e0f10000000000000000700000014"
                    + "0b0002"
                    + "6b04763101016802780704010676323200"
                    // index: one entry = seq 9, base offset 42, max timestamp through 1002,
                    // position 0
                    + "0000000000000009"
                    + "000000000000002a"
                    + "00000000000003ea"
                    + "0000000000000000"
                    // footer
                    + "%s" // footer CRC32C
                    + "0000000000000009"
                    + "0000000000000009" // first seq, last seq
                    + "000000000000002a"
                    + "0000000000000002" // base offset 42, 2 records
                    + "0000000000000001" // 1 batch
                    + "00000000000003e8"
                    + "00000000000003ea" // min timestamp 1000, max 1002
                    + "0000000000000058"
                    + "00000020" // index at byte 88, 32 bytes
                    + "00000008"
                    + "%s" // index interval 8, index CRC32C
                    + "0058"
                    + "00"
                    + "01"
                    + "5a4b544f"; // footer length 88, flags, version 1, magic "ZKTO"

    private static byte[] documentedBatch() {
        BatchBuilder b = new BatchBuilder(4096, 256);
        b.tryAppend(
                new Record("k".getBytes(), "v1".getBytes(), List.of(Header.of("h", "x")), 1000));
        b.tryAppend(new Record(null, "v22".getBytes(), List.of(), 1002));
        return b.seal().encode(42, PRODUCER, 7).clone();
    }

    private static byte[] tinyObject() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TierObjectWriter writer = new TierObjectWriter("q", 3, out, 8);
        writer.append(
                9,
                "/queues/q/partitions/3/seg/0000000000000000000/0000000000000000009",
                documentedBatch());
        writer.finish();
        return out.toByteArray();
    }

    /**
     * CRC32C (Castagnoli, reflected polynomial 0x82F63B78) bit by bit: independent of
     * java.util.zip.CRC32C.
     */
    private static int bitwiseCrc32c(byte[] data, int from, int to) {
        int crc = 0xFFFFFFFF;
        for (int i = from; i < to; i++) {
            crc ^= data[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
            }
        }
        return ~crc;
    }

    @Test
    void writesTheDocumentedBytesWithChecksumsAnIndependentCrc32cAgreesWith() throws IOException {
        byte[] object = tinyObject();
        assertThat(object).hasSize(88 + 32 + 88);
        int index = bitwiseCrc32c(object, 88, 120);
        int footer = bitwiseCrc32c(object, 124, 208);
        assertThat(String.format("%08x/%08x", index, footer)).isEqualTo("d65d0ec1/9a5d360c");
        assertThat(HexFormat.of().formatHex(object))
                .isEqualTo(String.format(GOLDEN_OBJECT, "9a5d360c", "d65d0ec1"));
    }

    @Test
    void decodesTheGoldenObject() {
        byte[] object =
                HexFormat.of().parseHex(String.format(GOLDEN_OBJECT, "9a5d360c", "d65d0ec1"));
        TierObjectFooter footer =
                TierObjectFooter.decode(Arrays.copyOfRange(object, 120, 208), object.length, PATH);
        assertThat(footer)
                .isEqualTo(new TierObjectFooter(9, 9, 42, 2, 1000, 1002, 88, 32, 8, 0xd65d0ec1));
        assertThat(footer.crc()).isEqualTo(0x9a5d360c);
        TierObjectIndex index =
                TierObjectIndex.decode(Arrays.copyOfRange(object, 88, 120), footer, PATH);
        assertThat(index.floorBySeq(9)).contains(new TierIndexEntry(9, 42, 1002, 0));
        Batch batch = Batch.parse("q", 3, 9, PATH, Arrays.copyOfRange(object, 0, 88));
        assertThat(batch.records())
                .extracting(QueueRecord::valueAsString)
                .containsExactly("v1", "v22");
    }

    @Test
    void footerWithBadMagicUnknownVersionOrBadCrcIsRefusedNamingTheObject() throws IOException {
        byte[] object = tinyObject();
        assertThatThrownBy(() -> decodeFooter(flip(object, 207)))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(PATH)
                .hasMessageContaining("bad magic");
        byte[] newer = object.clone();
        newer[203] = 2;
        assertThatThrownBy(() -> decodeFooter(newer))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(PATH)
                .hasMessageContaining("unknown footer format version 2");
        assertThatThrownBy(() -> decodeFooter(flip(object, 130)))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(PATH)
                .hasMessageContaining("footer CRC32C mismatch");
        assertThatThrownBy(() -> decodeFooter(flip(object, 120)))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(PATH)
                .hasMessageContaining("footer CRC32C mismatch");
    }

    @Test
    void footerOfAnObjectOfAnotherLengthIsRefused() throws IOException {
        byte[] object = tinyObject();
        byte[] footer = Arrays.copyOfRange(object, object.length - 88, object.length);
        assertThatThrownBy(() -> TierObjectFooter.decode(footer, object.length + 1, PATH))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(PATH)
                .hasMessageContaining("it has 209 bytes, but its footer describes 208");
        assertThatThrownBy(() -> TierObjectFooter.decode(new byte[0], 87, PATH))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("fewer than its 88-byte footer (truncated)");
    }

    @Test
    void indexWithABadCrcIsRefusedNamingTheObject() throws IOException {
        byte[] object = tinyObject();
        TierObjectFooter footer = decodeFooter(object);
        assertThatThrownBy(
                        () ->
                                TierObjectIndex.decode(
                                        Arrays.copyOfRange(flip(object, 100), 88, 120),
                                        footer,
                                        PATH))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(PATH)
                .hasMessageContaining("index CRC32C mismatch");
    }

    @Test
    void timestampLookupUsesTheRunningMaximumSoAnEarlyLateRecordIsFound() throws IOException {
        // Batch maxima 100, 5000, 200, 300, 400, 500 with an entry every 2 batches: running maxima
        // 5000, 5000, 5000.
        long[] maxima = {100, 5000, 200, 300, 400, 500};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TierObjectWriter writer = new TierObjectWriter("q", 0, out, 2);
        for (int i = 0; i < maxima.length; i++) {
            BatchBuilder b = new BatchBuilder(1024, 256);
            b.tryAppend(new Record(null, new byte[] {(byte) i}, List.of(), maxima[i]));
            writer.append(i, "/b/" + i, b.seal().encode(i, PRODUCER, i).clone());
        }
        TierObjectFooter footer = writer.finish();
        byte[] object = out.toByteArray();
        TierObjectIndex index =
                TierObjectIndex.decode(
                        Arrays.copyOfRange(
                                object,
                                (int) footer.indexPosition(),
                                (int) footer.indexPosition() + footer.indexLength()),
                        footer,
                        PATH);
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.entry(0).maxTimestampThrough()).isEqualTo(5000);
        assertThat(index.entry(2).maxTimestampThrough()).isEqualTo(5000);
        assertThat(index.firstReaching(4000))
                .map(TierIndexEntry::seq)
                .contains(0L); // batch 1 reaches it
        assertThat(index.firstReaching(100)).map(TierIndexEntry::seq).contains(0L);
        assertThat(index.firstReaching(5001)).isEmpty();
        assertThat(footer.minTimestamp()).isEqualTo(100);
        assertThat(index.floorByOffset(3)).map(TierIndexEntry::seq).contains(2L);
        assertThat(index.floorBySeq(5)).map(TierIndexEntry::seq).contains(4L);
    }

    @Test
    void writerRefusesGapsReferencesAsPlainBatchesAndEmptyObjects() throws IOException {
        TierObjectWriter writer = new TierObjectWriter("q", 3, new ByteArrayOutputStream(), 8);
        assertThatThrownBy(writer::finish)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no batches");
        writer.append(9, "/b/9", documentedBatch()); // offsets 42, 43
        BatchBuilder b = new BatchBuilder(1024, 256);
        b.tryAppend(new Record(null, new byte[1], List.of(), 5));
        SealedBatch next = b.seal();
        assertThatThrownBy(() -> writer.append(11, "/b/11", next.encode(44, PRODUCER, 8).clone()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected seq 10 at offset 44, got seq 11");
        assertThatThrownBy(() -> writer.append(10, "/b/10", next.encode(45, PRODUCER, 8).clone()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected seq 10 at offset 44, got seq 10 at offset 45");
        StagedBatch staged =
                new StagedBatch(
                        ZkmqPaths.stagedBatch("q", 3, "t-0-1", "a71e9841957bf0ae", 0),
                        1,
                        70,
                        5,
                        5,
                        PRODUCER,
                        8);
        assertThatThrownBy(() -> writer.append(10, "/b/10", ReferenceBatch.encode(44, staged)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a reference to " + staged.path());
        assertThatThrownBy(
                        () ->
                                writer.appendReference(
                                        10,
                                        "/b/10",
                                        next.encode(44, PRODUCER, 8).clone(),
                                        new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a reference batch");
    }

    private static TierObjectFooter decodeFooter(byte[] object) {
        return TierObjectFooter.decode(
                Arrays.copyOfRange(object, object.length - 88, object.length), object.length, PATH);
    }

    private static byte[] flip(byte[] data, int at) {
        byte[] copy = data.clone();
        copy[at] ^= 0x10;
        return copy;
    }
}
