package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The tiered-storage fields of the queue config: validation, JSON, and configs written before them.
 */
class QueueConfigTierTest {
    private static final String PATH = "/queues/events";
    private static final long SEGMENT =
            (long) QueueConfig.DEFAULT_SEGMENT_BATCHES * QueueConfig.DEFAULT_MAX_BATCH_BYTES;

    @Test
    void tierFieldsRoundTripThroughJsonAndAbsentFieldsMeanNoTier() {
        QueueConfig tiered =
                QueueConfig.builder()
                        .partitions(4)
                        .tierUri("s3://bucket/zkmq")
                        .hotRetentionBytes(SEGMENT + 1)
                        .hotRetentionTime(Duration.ofHours(1))
                        .build();
        String json = new String(tiered.toJson(), StandardCharsets.UTF_8);
        assertThat(json)
                .contains(
                        "\"tierUri\":\"s3://bucket/zkmq\"",
                        "\"hotRetentionBytes\":" + (SEGMENT + 1),
                        "\"hotRetentionMs\":3600000");
        assertThat(QueueConfig.fromJson(tiered.toJson(), PATH)).isEqualTo(tiered);

        QueueConfig plain = QueueConfig.builder().partitions(4).build();
        assertThat(new String(plain.toJson(), StandardCharsets.UTF_8))
                .doesNotContain("tierUri", "hotRetention");
        QueueConfig read = QueueConfig.fromJson(plain.toJson(), PATH);
        assertThat(read.tierUri()).isEmpty();
        assertThat(read.hotRetentionBytes()).isZero();
        assertThat(read.hotRetentionTime()).isEmpty();
    }

    @Test
    void tierUriNeedsAScheme() {
        assertThatThrownBy(() -> QueueConfig.builder().tierUri("/data/zkmq-tier"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'/data/zkmq-tier' has no scheme");
        assertThatThrownBy(() -> QueueConfig.builder().tierUri("s3://bad bucket"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("not a valid URI");
    }

    @Test
    void hotRetentionBytesIsRequiredWithATierAndMayBeBelowOneSegment() {
        assertThat(
                        QueueConfig.builder()
                                .tierUri("file:///tier")
                                .hotRetentionBytes(SEGMENT / 2)
                                .build()
                                .hotRetentionBytes())
                .isEqualTo(SEGMENT / 2);
        assertThatThrownBy(() -> QueueConfig.builder().tierUri("file:///tier").build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("hotRetentionBytes");
        assertThatThrownBy(() -> QueueConfig.builder().hotRetentionBytes(SEGMENT * 2).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("need a tierUri");
    }

    @Test
    void invalidStoredTierFieldsNameTheZnode() {
        String json =
                "{\"version\":1,\"partitions\":1,\"maxBatchBytes\":262144,\"segmentBatches\":100,"
                        + "\"retentionBytes\":134217728,\"retentionMs\":604800000,\"tierUri\":\"no-scheme\",\"hotRetentionBytes\":1}";
        assertThatThrownBy(() -> QueueConfig.fromJson(json.getBytes(StandardCharsets.UTF_8), PATH))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(PATH)
                .hasMessageContaining("no-scheme");
    }
}
