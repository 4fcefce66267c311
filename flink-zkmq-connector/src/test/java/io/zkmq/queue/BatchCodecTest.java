package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.RecordTooLargeException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BatchCodecTest {
    private static final UUID PRODUCER = new UUID(0x0102030405060708L, 0x090A0B0C0D0E0F10L);

    /**
     * Golden bytes of format version 1 as documented in docs/format.md: any change here breaks
     * stored data.
     */
    private static final String GOLDEN_V1 =
            "5a4b4d51"
                    + "01"
                    + "00"
                    + "0044" // magic, version, attributes, header length 68
                    + "%s" // crc32c (computed below, pinned separately)
                    + "000000000000002a" // base offset 42
                    + "00000002" // record count
                    + "00000000000003e8"
                    + "00000000000003ea" // first timestamp 1000, max 1002
                    + "0102030405060708090a0b0c0d0e0f10" // producer id
                    + "0000000000000007" // producer sequence
                    + "0000001c" // records length 28
                    // record 0: len 11, tsDelta 0, key "k" (len 1), value "v1" (len 2), 1 header
                    // "h"="x"
                    + "0b"
                    + "00"
                    + "02"
                    + "6b"
                    + "04"
                    + "7631"
                    + "01"
                    + "01"
                    + "68"
                    + "02"
                    + "78"
                    // record 1: len 15, tsDelta +2 (zigzag 4), null key (-1 -> 1), value "v22" (len
                    // 3), 0 headers
                    + "07"
                    + "04"
                    + "01"
                    + "06"
                    + "763232"
                    + "00"
            // padding-free: total header 68 + 12 + 8 = 88
            ;

    private static byte[] goldenBatch() {
        BatchBuilder b = new BatchBuilder(4096, 256);
        assertThat(
                        b.tryAppend(
                                new Record(
                                        "k".getBytes(),
                                        "v1".getBytes(),
                                        List.of(Header.of("h", "x")),
                                        1000)))
                .isTrue();
        assertThat(b.tryAppend(new Record(null, "v22".getBytes(), List.of(), 1002))).isTrue();
        return b.seal().encode(42, PRODUCER, 7).clone();
    }

    @Test
    void encodesVersion1ExactlyAsDocumented() {
        byte[] bytes = goldenBatch();
        String hex = HexFormat.of().formatHex(bytes);
        String crc = hex.substring(16, 24);
        assertThat(crc).isEqualTo("23bb8222");
        String expected = String.format(GOLDEN_V1, crc).replace("0000001c", "00000014");
        assertThat(hex).isEqualTo(expected);
    }

    @Test
    void decodesGoldenBytesOfVersion1() {
        byte[] bytes =
                HexFormat.of()
                        .parseHex(
                                String.format(GOLDEN_V1, "23bb8222")
                                        .replace("0000001c", "00000014"));
        Batch batch = Batch.parse("q", 3, 9, "/queues/q/partitions/3/seg/0/9", bytes);
        assertThat(batch.baseOffset()).isEqualTo(42);
        assertThat(batch.recordCount()).isEqualTo(2);
        assertThat(batch.nextOffset()).isEqualTo(44);
        assertThat(batch.producerId()).isEqualTo(PRODUCER);
        assertThat(batch.producerSequence()).isEqualTo(7);
        assertThat(batch.firstTimestamp()).isEqualTo(1000);
        assertThat(batch.maxTimestamp()).isEqualTo(1002);
        List<QueueRecord> records = batch.records();
        assertThat(records).hasSize(2);
        assertThat(records.get(0).offset()).isEqualTo(42);
        assertThat(records.get(0).keyAsString()).isEqualTo("k");
        assertThat(records.get(0).valueAsString()).isEqualTo("v1");
        assertThat(records.get(0).headers()).containsExactly(Header.of("h", "x"));
        assertThat(records.get(0).timestamp()).isEqualTo(1000);
        assertThat(records.get(1).offset()).isEqualTo(43);
        assertThat(records.get(1).key()).isNull();
        assertThat(records.get(1).valueAsString()).isEqualTo("v22");
        assertThat(records.get(1).timestamp()).isEqualTo(1002);
        assertThat(batch.records(43)).extracting(QueueRecord::offset).containsExactly(43L);
    }

    @Test
    void roundTripsNullsEmptyValuesHeadersAndNegativeTimestampDeltas() {
        BatchBuilder b = new BatchBuilder(64 * 1024, 1024);
        List<Record> in =
                List.of(
                        new Record(null, null, List.of(), 5_000),
                        new Record(
                                new byte[0],
                                new byte[0],
                                List.of(new Header("n", null), Header.of("ключ", "значение")),
                                4_000),
                        new Record(
                                "a".getBytes(),
                                new byte[300],
                                List.of(Header.of("h", "1"), Header.of("h", "2")),
                                Long.MAX_VALUE / 2));
        in.forEach(r -> assertThat(b.tryAppend(r)).isTrue());
        byte[] bytes = b.seal().encode(0, PRODUCER, 1);
        List<QueueRecord> out = Batch.parse("q", 0, 0, "p", bytes).records();
        assertThat(out).extracting(QueueRecord::record).containsExactlyElementsOf(in);
        assertThat(Batch.parse("q", 0, 0, "p", bytes).maxTimestamp()).isEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void encodedSizePredictsTheBytesWritten() {
        Record r =
                new Record("key".getBytes(), new byte[100], List.of(Header.of("trace", "abc")), 77);
        BatchBuilder b = new BatchBuilder(4096, 256);
        b.tryAppend(r);
        assertThat(b.sizeInBytes())
                .isEqualTo(BatchFormat.HEADER_LENGTH_V1 + BatchBuilder.encodedSize(r, 77));
    }

    @Test
    void aFullBatchRefusesTheNextRecordAndAnOversizedRecordIsRejected() {
        BatchBuilder b = new BatchBuilder(1024, 1024);
        int appended = 0;
        while (b.tryAppend(Record.of(null, new byte[100]))) {
            appended++;
        }
        assertThat(appended).isEqualTo((1024 - 68) / 103);
        assertThat(b.sizeInBytes()).isLessThanOrEqualTo(1024);
        assertThatThrownBy(
                        () ->
                                new BatchBuilder(1024, 1024)
                                        .tryAppend(Record.of(null, new byte[2000])))
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("exceeds the batch limit of 1024 bytes");
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] good = goldenBatch();
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThatThrownBy(
                                () ->
                                        Batch.parse(
                                                        "orders",
                                                        2,
                                                        5,
                                                        "/queues/orders/partitions/2/seg/0/5",
                                                        bad)
                                                .records())
                        .isInstanceOf(CorruptBatchException.class)
                        .hasMessageContaining("queue 'orders' partition 2");
            }
        }
    }

    @Test
    void corruptionMessagesNameTheZnodeAndTheCause() {
        byte[] good = goldenBatch();
        byte[] badCrc = good.clone();
        badCrc[good.length - 1] ^= 1;
        assertThatThrownBy(
                        () ->
                                Batch.parse(
                                        "orders",
                                        1,
                                        5,
                                        "/queues/orders/partitions/1/seg/0/5",
                                        badCrc))
                .isInstanceOf(CorruptBatchException.class)
                .hasMessageContaining("CRC32C mismatch")
                .hasMessageContaining("/queues/orders/partitions/1/seg/0/5");
        byte[] futureVersion = good.clone();
        futureVersion[4] = 2;
        assertThatThrownBy(() -> Batch.parse("orders", 1, 5, "z", futureVersion))
                .hasMessageContaining("unknown format version 2");
        assertThatThrownBy(() -> Batch.parse("orders", 1, 5, "z", new byte[10]))
                .hasMessageContaining("fewer than the 68-byte header");
        assertThatThrownBy(() -> Batch.parse("orders", 1, 5, "z", null))
                .isInstanceOf(CorruptBatchException.class);
    }
}
