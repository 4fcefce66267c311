package io.zkmq.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.junit.jupiter.api.Test;

/** How the source builder combines setters with options from a configuration. */
class ZkmqSourceBuilderTest {

    @Test
    void explicitSettersWinOverConfigurationWhateverTheOrder() {
        ZkmqSource<String> setterFirst =
                ZkmqSource.<String>builder()
                        .setLockTimeout(Duration.ofSeconds(5))
                        .setProperties(
                                Map.of(
                                        "zookeeper",
                                        "zk:2181",
                                        "queues",
                                        "q",
                                        "group",
                                        "g",
                                        "lock.timeout",
                                        "1 min"))
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();
        ZkmqSource<String> setterLast =
                ZkmqSource.<String>builder()
                        .setProperties(
                                Map.of(
                                        "zookeeper",
                                        "zk:2181",
                                        "queues",
                                        "q",
                                        "group",
                                        "g",
                                        "lock.timeout",
                                        "1 min"))
                        .setLockTimeout(Duration.ofSeconds(5))
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();

        assertThat(setterFirst.config().lockTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(setterLast.config().lockTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(setterFirst.config().group()).isEqualTo("g");
    }
}
