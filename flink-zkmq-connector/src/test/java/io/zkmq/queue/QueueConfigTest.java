package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueueConfigTest {
    @Test
    void jsonRoundTripKeepsEveryField() {
        QueueConfig config =
                QueueConfig.builder()
                        .partitions(7)
                        .maxBatchBytes(65_536)
                        .segmentBatches(50)
                        .retentionBytes(1L << 33)
                        .retentionTime(Duration.ofHours(5))
                        .build();
        assertThat(QueueConfig.fromJson(config.toJson(), "/queues/q")).isEqualTo(config);
    }

    @Test
    void quotaRoundTripsThroughJsonAndAConfigWithoutOneReadsAsBefore() {
        QueueConfig quota = QueueConfig.builder().partitions(4).quotaBytes(2L << 30).build();
        assertThat(QueueConfig.fromJson(quota.toJson(), "/queues/q")).isEqualTo(quota);
        assertThat(QueueConfig.fromJson(quota.toJson(), "/queues/q").quotaBytes())
                .hasValue(2L << 30);
        String withoutQuota =
                "{\"format\":1,\"partitions\":1,\"maxBatchBytes\":4096,\"segmentBatches\":10,"
                        + "\"retentionBytes\":1,\"retentionMs\":1}";
        assertThat(
                        QueueConfig.fromJson(
                                        withoutQuota.getBytes(StandardCharsets.UTF_8), "/queues/q")
                                .quotaBytes())
                .isEmpty();
        assertThat(quota.toBuilder().quotaBytes(0).build().quotaBytes()).isEmpty();
    }

    @Test
    void underAQuotaRetentionKeepsEachPartitionsShareOfEightyPercentLessOneSegment() {
        QueueConfig.Builder b =
                QueueConfig.builder()
                        .partitions(4)
                        .maxBatchBytes(4096)
                        .segmentBatches(10)
                        .retentionBytes(1L << 30);
        assertThat(b.build().effectiveRetentionBytes()).isEqualTo(1L << 30);
        // 10 MiB x 0.8 / 4 partitions = 2 MiB each, less one 40 KiB segment that trimming whole
        // segments may leave.
        assertThat(b.quotaBytes(10L << 20).build().effectiveRetentionBytes())
                .isEqualTo((2L << 20) - 40 * 1024);
        // A retention below the share stays as configured.
        assertThat(b.retentionBytes(100_000).build().effectiveRetentionBytes()).isEqualTo(100_000);
    }

    @Test
    void aQuotaTooSmallForTwoSegmentsPerPartitionIsRejectedNamingTheMinimum() {
        assertThatThrownBy(() -> QueueConfig.builder().partitions(4).quotaBytes(64L << 20).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("quotaBytes 67108864 is too small for 4 partitions")
                .hasMessageContaining("at least 262144000 bytes");
        assertThatThrownBy(() -> QueueConfig.builder().quotaBytes(-1))
                .hasMessageContaining("quotaBytes");
    }

    @Test
    void builderRejectsValuesBeyondZooKeepersLimitsNamingTheSetting() {
        assertThatThrownBy(() -> QueueConfig.builder().maxBatchBytes(1024 * 1024))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("maxBatchBytes")
                .hasMessageContaining("1 MiB");
        assertThatThrownBy(() -> QueueConfig.builder().partitions(0))
                .hasMessageContaining("partitions");
        assertThatThrownBy(() -> QueueConfig.builder().segmentBatches(50_000))
                .hasMessageContaining("segmentBatches");
        assertThatThrownBy(() -> QueueConfig.builder().retentionBytes(0))
                .hasMessageContaining("bounded");
        assertThatThrownBy(() -> QueueConfig.builder().retentionTime(Duration.ZERO))
                .hasMessageContaining("retentionTime");
    }

    @Test
    void malformedStoredConfigNamesTheZnodeAndTheField() {
        assertThatThrownBy(
                        () ->
                                QueueConfig.fromJson(
                                        "{not json".getBytes(StandardCharsets.UTF_8), "/queues/q"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("/queues/q")
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(
                        () ->
                                QueueConfig.fromJson(
                                        "{\"format\":1,\"partitions\":2}"
                                                .getBytes(StandardCharsets.UTF_8),
                                        "/queues/q"))
                .hasMessageContaining("'maxBatchBytes'");
        assertThatThrownBy(
                        () ->
                                QueueConfig.fromJson(
                                        "{\"format\":9}".getBytes(StandardCharsets.UTF_8),
                                        "/queues/q"))
                .hasMessageContaining("queue config payload of version 9");
        String negative =
                "{\"format\":1,\"partitions\":-1,\"maxBatchBytes\":4096,\"segmentBatches\":10,\"retentionBytes\":1,\"retentionMs\":1}";
        assertThatThrownBy(
                        () ->
                                QueueConfig.fromJson(
                                        negative.getBytes(StandardCharsets.UTF_8), "/queues/q"))
                .hasMessageContaining("invalid queue config")
                .hasMessageContaining("partitions");
    }
}
