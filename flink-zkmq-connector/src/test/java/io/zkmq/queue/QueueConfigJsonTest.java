package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Golden JSON of the queue config. Version 1 configs written before the version field carry {@code
 * "format":1}, which older clients require; new configs carry both.
 */
class QueueConfigJsonTest {
    private static final String PATH = "/queues/orders";
    private static final String FIELDS =
            "\"partitions\":4,\"maxBatchBytes\":262144,\"segmentBatches\":100,"
                    + "\"retentionBytes\":134217728,\"retentionMs\":604800000";
    private static final QueueConfig DEFAULTS = QueueConfig.builder().partitions(4).build();

    private static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void configOfVersionOneDecodesWithTheLegacyFormatFieldTheVersionFieldOrNeither() {
        assertThat(QueueConfig.fromJson(utf8("{\"format\":1," + FIELDS + "}"), PATH))
                .isEqualTo(DEFAULTS);
        assertThat(QueueConfig.fromJson(utf8("{\"version\":1," + FIELDS + "}"), PATH))
                .isEqualTo(DEFAULTS);
        assertThat(QueueConfig.fromJson(utf8("{" + FIELDS + "}"), PATH)).isEqualTo(DEFAULTS);
    }

    @Test
    void configWithAQuotaOfVersionOneDecodes() {
        QueueConfig expected = QueueConfig.builder().partitions(4).quotaBytes(2L << 30).build();
        assertThat(
                        QueueConfig.fromJson(
                                utf8("{\"format\":1," + FIELDS + ",\"quotaBytes\":2147483648}"),
                                PATH))
                .isEqualTo(expected);
        assertThat(
                        QueueConfig.fromJson(
                                utf8(
                                        "{\"version\":1,\"format\":1,"
                                                + FIELDS
                                                + ",\"quotaBytes\":2147483648}"),
                                PATH))
                .isEqualTo(expected);
    }

    @Test
    void configIsWrittenWithTheVersionAndTheFormatThatOlderClientsRequire() {
        assertThat(new String(DEFAULTS.toJson(), StandardCharsets.UTF_8))
                .isEqualTo("{\"version\":1,\"format\":1," + FIELDS + "}");
        QueueConfig changed = DEFAULTS.toBuilder().retentionTime(Duration.ofHours(1)).build();
        assertThat(QueueConfig.fromJson(changed.toJson(), PATH)).isEqualTo(changed);
    }

    @Test
    void aNewerConfigVersionIsRefusedNamingTheZnodeAndTellingToUpgrade() {
        assertThatThrownBy(
                        () ->
                                QueueConfig.fromJson(
                                        utf8("{\"version\":2,\"format\":2," + FIELDS + "}"), PATH))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "Znode "
                                + PATH
                                + " holds a queue config payload of version 2, but this client reads version 1"
                                + " only: it was written by a newer ZKMQ client; upgrade this client");
    }
}
