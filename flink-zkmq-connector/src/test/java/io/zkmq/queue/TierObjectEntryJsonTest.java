package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Golden JSON of a tier object's ZooKeeper index entry, and where the entry lives. */
class TierObjectEntryJsonTest {
    private static final String ZNODE =
            "/queues/orders/partitions/3/tier/0000000000000000001/0000000000000120000";
    private static final String JSON =
            "{\"version\":1,\"path\":\"zkmq/orders/3/0000000000000120000-9f86d081884c7d65.zkseg\","
                    + "\"firstSeq\":120000,\"lastSeq\":120999,\"baseOffset\":9000000,\"records\":75000,\"bytes\":67108864,"
                    + "\"minTs\":1796217310469,\"maxTs\":1796217399999,\"footerCrc\":4294967295,"
                    + "\"startBytes\":41943040000,\"endBytes\":42010148864}";
    private static final TierObjectEntry ENTRY =
            new TierObjectEntry(
                    "zkmq/orders/3/0000000000000120000-9f86d081884c7d65.zkseg",
                    120_000,
                    120_999,
                    9_000_000,
                    75_000,
                    67_108_864,
                    1_796_217_310_469L,
                    1_796_217_399_999L,
                    0xFFFF_FFFFL,
                    41_943_040_000L,
                    42_010_148_864L);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void isWrittenAsVersionOneInTheDocumentedFieldOrder() {
        assertThat(new String(ENTRY.toJson(), StandardCharsets.UTF_8)).isEqualTo(JSON);
    }

    @Test
    void decodesVersionOneWithAndWithoutTheVersionFieldInAnyFieldOrder() {
        assertThat(TierObjectEntry.fromJson(utf8(JSON), ZNODE)).isEqualTo(ENTRY);
        assertThat(TierObjectEntry.fromJson(utf8(JSON.replace("\"version\":1,", "")), ZNODE))
                .isEqualTo(ENTRY);
        String reordered =
                "{\"endBytes\":42010148864,\"startBytes\":41943040000,\"footerCrc\":4294967295,\"maxTs\":1796217399999,\"minTs\":1796217310469,\"bytes\":67108864,"
                        + "\"records\":75000,\"baseOffset\":9000000,\"lastSeq\":120999,\"firstSeq\":120000,"
                        + "\"path\":\"zkmq/orders/3/0000000000000120000-9f86d081884c7d65.zkseg\",\"future\":true}";
        assertThat(TierObjectEntry.fromJson(utf8(reordered), ZNODE)).isEqualTo(ENTRY);
    }

    @Test
    void refusesANewerVersionAndInvalidEntriesNamingTheZnode() {
        assertThatThrownBy(
                        () ->
                                TierObjectEntry.fromJson(
                                        utf8(JSON.replace("\"version\":1", "\"version\":2")),
                                        ZNODE))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(ZNODE)
                .hasMessageContaining("tier object entry payload of version 2");
        assertThatThrownBy(
                        () ->
                                TierObjectEntry.fromJson(
                                        utf8(JSON.replace("\"lastSeq\":120999", "\"lastSeq\":1")),
                                        ZNODE))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(ZNODE)
                .hasMessageContaining("invalid tier object entry");
        assertThatThrownBy(
                        () ->
                                TierObjectEntry.fromJson(
                                        utf8(JSON.replace("\"path\":\"zkmq", "\"path\":\"/zkmq")),
                                        ZNODE))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("relative to the tier root");
        assertThatThrownBy(
                        () ->
                                TierObjectEntry.fromJson(
                                        utf8(JSON.replace(",\"footerCrc\":4294967295", "")), ZNODE))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'footerCrc' is missing");
        assertThatThrownBy(
                        () ->
                                TierObjectEntry.fromJson(
                                        utf8(JSON.replace("42010148864", "1")), ZNODE))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(ZNODE)
                .hasMessageContaining("partition byte positions");
    }

    @Test
    void isBuiltFromAFooter() {
        TierObjectFooter footer =
                new TierObjectFooter(9, 9, 42, 2, 1000, 1002, 88, 32, 8, 0xd65d0ec1);
        TierObjectEntry entry =
                TierObjectEntry.of(
                        "zkmq/q/3/0000000000000000009-00000000000000ff.zkseg", footer, 500, 588);
        assertThat(entry)
                .isEqualTo(
                        new TierObjectEntry(
                                "zkmq/q/3/0000000000000000009-00000000000000ff.zkseg",
                                9,
                                9,
                                42,
                                2,
                                208,
                                1000,
                                1002,
                                0x9a5d360cL,
                                500,
                                588));
        assertThat(entry.matches(footer)).isTrue();
        assertThat(
                        entry.matches(
                                new TierObjectFooter(
                                        9, 9, 42, 2, 1000, 1003, 88, 32, 8, 0xd65d0ec1)))
                .isFalse();
    }

    @Test
    void entriesAreBucketedByThousandsOfSegmentsAndNamedByFirstSeq() {
        assertThat(ZkmqPaths.tier("orders", 3)).isEqualTo("/queues/orders/partitions/3/tier");
        // segmentBatches 100: segment 1200 (seq 120000) lies in bucket 1 (segments 1000-1999).
        assertThat(ZkmqPaths.tierEntry("orders", 3, 120_000, 100)).isEqualTo(ZNODE);
        assertThat(ZkmqPaths.tierBucket(99_999, 100)).isZero();
        assertThat(ZkmqPaths.tierBucket(100_000, 100)).isEqualTo(1);
        assertThat(ZkmqPaths.tierBucket(Long.MAX_VALUE, 2)).isEqualTo(Long.MAX_VALUE / 2 / 1000);
    }
}
