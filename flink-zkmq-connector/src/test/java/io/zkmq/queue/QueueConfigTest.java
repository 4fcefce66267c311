package io.zkmq.queue;

import io.zkmq.error.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueueConfigTest {
    @Test
    void jsonRoundTripKeepsEveryField() {
        QueueConfig config = QueueConfig.builder().partitions(7).maxBatchBytes(65_536).segmentBatches(50)
                .retentionBytes(1L << 33).retentionTime(Duration.ofHours(5)).build();
        assertThat(QueueConfig.fromJson(config.toJson(), "/queues/q")).isEqualTo(config);
    }

    @Test
    void builderRejectsValuesBeyondZooKeepersLimitsNamingTheSetting() {
        assertThatThrownBy(() -> QueueConfig.builder().maxBatchBytes(1024 * 1024))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("maxBatchBytes").hasMessageContaining("1 MiB");
        assertThatThrownBy(() -> QueueConfig.builder().partitions(0)).hasMessageContaining("partitions");
        assertThatThrownBy(() -> QueueConfig.builder().segmentBatches(50_000)).hasMessageContaining("segmentBatches");
        assertThatThrownBy(() -> QueueConfig.builder().retentionBytes(0)).hasMessageContaining("bounded");
        assertThatThrownBy(() -> QueueConfig.builder().retentionTime(Duration.ZERO)).hasMessageContaining("retentionTime");
    }

    @Test
    void malformedStoredConfigNamesTheZnodeAndTheField() {
        assertThatThrownBy(() -> QueueConfig.fromJson("{not json".getBytes(StandardCharsets.UTF_8), "/queues/q"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("/queues/q").hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> QueueConfig.fromJson("{\"format\":1,\"partitions\":2}".getBytes(StandardCharsets.UTF_8), "/queues/q"))
                .hasMessageContaining("'maxBatchBytes'");
        assertThatThrownBy(() -> QueueConfig.fromJson("{\"format\":9}".getBytes(StandardCharsets.UTF_8), "/queues/q"))
                .hasMessageContaining("unknown queue config format 9");
        String negative = "{\"format\":1,\"partitions\":-1,\"maxBatchBytes\":4096,\"segmentBatches\":10,\"retentionBytes\":1,\"retentionMs\":1}";
        assertThatThrownBy(() -> QueueConfig.fromJson(negative.getBytes(StandardCharsets.UTF_8), "/queues/q"))
                .hasMessageContaining("invalid queue config").hasMessageContaining("partitions");
    }
}
