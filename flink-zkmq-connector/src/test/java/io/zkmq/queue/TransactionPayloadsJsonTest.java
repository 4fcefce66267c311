package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Golden JSON of exactly-once transaction markers and of {@code /sinks/<prefix>}. The version 1
 * strings are exactly what clients wrote before the version field: markers then carried {@code
 * "format":1} instead.
 */
class TransactionPayloadsJsonTest {
    private static final String MARKER = "/queues/orders/partitions/0/txn/etl-0-4";
    private static final String STAGED_PATH =
            "/queues/orders/partitions/0/staged/etl-0-4.a71e9841957bf0ae.0";
    private static final UUID PRODUCER = UUID.fromString("2a6aeac5-a0b6-45a2-821d-a0c3bbd1e2f4");
    private static final String STAGED =
            "\"staged\":[{\"path\":\""
                    + STAGED_PATH
                    + "\",\"records\":1,\"bytes\":74,"
                    + "\"firstTimestamp\":2000,\"maxTimestamp\":2000,\"producerId\":\""
                    + PRODUCER
                    + "\",\"producerSequence\":0}]";
    private static final String FIELDS =
            "\"transaction\":\"etl-0-4\",\"attempt\":\"a71e9841957bf0ae\",\"state\":\"COMMITTED\","
                    + "\"createdAt\":1796217310469,\"committedAt\":1796217310648,\"committedBatches\":1,"
                    + STAGED;

    private static final TransactionMarker COMMITTED =
            new TransactionMarker(
                    TransactionId.parse("etl-0-4"),
                    "a71e9841957bf0ae",
                    TransactionMarker.State.COMMITTED,
                    1796217310469L,
                    1796217310648L,
                    List.of(new StagedBatch(STAGED_PATH, 1, 74, 2000, 2000, PRODUCER, 0)),
                    1);

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void markerOfVersionOneDecodesWithTheLegacyFormatFieldTheVersionFieldOrNeither() {
        assertThat(TransactionMarker.fromJson(utf8("{\"format\":1," + FIELDS + "}"), MARKER))
                .isEqualTo(COMMITTED);
        assertThat(TransactionMarker.fromJson(utf8("{\"version\":1," + FIELDS + "}"), MARKER))
                .isEqualTo(COMMITTED);
        assertThat(TransactionMarker.fromJson(utf8("{" + FIELDS + "}"), MARKER))
                .isEqualTo(COMMITTED);
    }

    @Test
    void markerOfAnOlderWriterWithoutCommittedBatchesDecodesAsDocumented() {
        String open =
                "{\"format\":1,\"transaction\":\"etl-0-4\",\"attempt\":\"a71e9841957bf0ae\",\"state\":\"OPEN\","
                        + "\"createdAt\":1796217310469,\"committedAt\":-1,"
                        + STAGED
                        + "}";
        assertThat(TransactionMarker.fromJson(utf8(open), MARKER).committedBatches()).isZero();
        String committed =
                "{\"format\":1,\"transaction\":\"etl-0-4\",\"attempt\":\"a71e9841957bf0ae\",\"state\":\"COMMITTED\","
                        + "\"createdAt\":1796217310469,\"committedAt\":1796217310648,"
                        + STAGED
                        + "}";
        assertThat(TransactionMarker.fromJson(utf8(committed), MARKER)).isEqualTo(COMMITTED);
    }

    @Test
    void markerIsWrittenWithTheVersionFieldInPlaceOfFormat() {
        assertThat(new String(COMMITTED.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"version\":1," + FIELDS + "}");
    }

    @Test
    void aNewerMarkerVersionIsRefusedWhetherInTheVersionOrTheLegacyField() {
        assertThatThrownBy(
                        () ->
                                TransactionMarker.fromJson(
                                        utf8("{\"version\":2," + FIELDS + "}"), MARKER))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(MARKER)
                .hasMessageContaining("transaction marker payload of version 2")
                .hasMessageContaining("reads version 1 only");
        assertThatThrownBy(
                        () ->
                                TransactionMarker.fromJson(
                                        utf8("{\"format\":2," + FIELDS + "}"), MARKER))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("transaction marker payload of version 2");
    }

    @Test
    void sinkSettingsOfVersionOneDecodeWithAndWithoutTheVersionField() {
        String path = "/sinks/etl";
        SinkSettings expected = new SinkSettings(Duration.ofHours(1));
        assertThat(SinkSettings.fromJson(utf8("{\"abandonedTimeoutMs\":3600000}"), path))
                .isEqualTo(expected);
        assertThat(
                        SinkSettings.fromJson(
                                utf8("{\"version\":1,\"abandonedTimeoutMs\":3600000}"), path))
                .isEqualTo(expected);
        assertThat(new String(expected.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"version\":1,\"abandonedTimeoutMs\":3600000}");
        assertThatThrownBy(
                        () ->
                                SinkSettings.fromJson(
                                        utf8("{\"version\":2,\"abandonedTimeoutMs\":1}"), path))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(path)
                .hasMessageContaining("sink settings payload of version 2");
    }
}
