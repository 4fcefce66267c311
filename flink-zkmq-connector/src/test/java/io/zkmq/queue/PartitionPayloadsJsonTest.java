package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Golden JSON of a partition's {@code head}, {@code low} and segment znodes. The version 1 strings
 * are exactly what clients wrote before the version field: they are stored in existing queues.
 */
class PartitionPayloadsJsonTest {
    private static final String HEAD = "/queues/q/partitions/0/head";
    private static final String LOW = "/queues/q/partitions/0/low";
    private static final String SEGMENT = "/queues/q/partitions/0/seg/0000000000000000001";

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Test
    void headOfVersionOneDecodesWithAndWithoutTheVersionField() {
        PartitionHead expected = new PartitionHead(2, 5, 149);
        assertThat(
                        PartitionHead.fromJson(
                                utf8("{\"nextSeq\":2,\"nextOffset\":5,\"nextBytes\":149}"), HEAD))
                .isEqualTo(expected);
        assertThat(
                        PartitionHead.fromJson(
                                utf8(
                                        "{\"version\":1,\"nextSeq\":2,\"nextOffset\":5,\"nextBytes\":149}"),
                                HEAD))
                .isEqualTo(expected);
    }

    @Test
    void headIsWrittenAsVersionOneInTheDocumentedFieldOrder() {
        assertThat(text(new PartitionHead(2, 5, 149).toJson()))
                .isEqualTo("{\"version\":1,\"nextSeq\":2,\"nextOffset\":5,\"nextBytes\":149}");
        assertThat(text(PartitionHead.EMPTY.toJson()))
                .isEqualTo("{\"version\":1,\"nextSeq\":0,\"nextOffset\":0,\"nextBytes\":0}");
    }

    @Test
    void handWrittenHeadIsByteForByteWhatJacksonWritesForTheSameFields() {
        for (long v : new long[] {0, 1, 9, 10, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            PartitionHead head = new PartitionHead(v, v, v);
            byte[] jackson =
                    Json.write(
                            PartitionHead.FORMAT
                                    .object()
                                    .put("nextSeq", v)
                                    .put("nextOffset", v)
                                    .put("nextBytes", v));
            assertThat(head.toJson()).as("head with %d", v).isEqualTo(jackson);
            assertThat(PartitionHead.fromJson(head.toJson(), HEAD)).isEqualTo(head);
        }
    }

    @Test
    void lowOfVersionOneDecodesWithAndWithoutTheVersionField() {
        PartitionLow expected = new PartitionLow(100, 4200, 1_048_576);
        assertThat(
                        PartitionLow.fromJson(
                                utf8("{\"lowSeq\":100,\"lowOffset\":4200,\"lowBytes\":1048576}"),
                                LOW))
                .isEqualTo(expected);
        assertThat(
                        PartitionLow.fromJson(
                                utf8(
                                        "{\"version\":1,\"lowSeq\":100,\"lowOffset\":4200,\"lowBytes\":1048576}"),
                                LOW))
                .isEqualTo(expected);
        assertThat(text(expected.toJson()))
                .isEqualTo(
                        "{\"version\":1,\"lowSeq\":100,\"lowOffset\":4200,\"lowBytes\":1048576}");
    }

    @Test
    void segmentOfVersionOneDecodesWithAndWithoutTheVersionField() {
        SegmentInfo expected = new SegmentInfo(100, 4200, 1_048_576);
        assertThat(
                        SegmentInfo.fromJson(
                                utf8(
                                        "{\"firstSeq\":100,\"baseOffset\":4200,\"startBytes\":1048576}"),
                                SEGMENT))
                .isEqualTo(expected);
        assertThat(
                        SegmentInfo.fromJson(
                                utf8(
                                        "{\"version\":1,\"firstSeq\":100,\"baseOffset\":4200,\"startBytes\":1048576}"),
                                SEGMENT))
                .isEqualTo(expected);
        assertThat(text(expected.toJson()))
                .isEqualTo(
                        "{\"version\":1,\"firstSeq\":100,\"baseOffset\":4200,\"startBytes\":1048576}");
    }

    @Test
    void aNewerVersionOfHeadLowOrSegmentIsRefusedNamingTheZnode() {
        assertThatThrownBy(
                        () ->
                                PartitionHead.fromJson(
                                        utf8(
                                                "{\"version\":2,\"nextSeq\":2,\"nextOffset\":5,\"nextBytes\":149}"),
                                        HEAD))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(HEAD)
                .hasMessageContaining("partition head payload of version 2")
                .hasMessageContaining("reads version 1 only");
        assertThatThrownBy(
                        () ->
                                PartitionLow.fromJson(
                                        utf8(
                                                "{\"version\":2,\"lowSeq\":0,\"lowOffset\":0,\"lowBytes\":0}"),
                                        LOW))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(LOW)
                .hasMessageContaining("partition low payload of version 2");
        assertThatThrownBy(
                        () ->
                                SegmentInfo.fromJson(
                                        utf8(
                                                "{\"version\":2,\"firstSeq\":0,\"baseOffset\":0,\"startBytes\":0}"),
                                        SEGMENT))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(SEGMENT)
                .hasMessageContaining("segment payload of version 2");
    }
}
