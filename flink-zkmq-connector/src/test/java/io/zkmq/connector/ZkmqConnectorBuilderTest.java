package io.zkmq.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.sink.ZkmqRecordSerializationSchema;
import io.zkmq.sink.ZkmqSink;
import io.zkmq.source.ZkmqSource;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.junit.jupiter.api.Test;

/** The source and sink builders share one set of connection setters and one options value. */
class ZkmqConnectorBuilderTest {

    @Test
    void theSameConnectionSettersGiveTheSourceAndTheSinkTheSameClientOptions() {
        ZkmqSource<String> source =
                ZkmqSource.<String>builder()
                        .setZookeeper(" zk1:2181,zk2:2181 ")
                        .setNamespace("apps-zkmq")
                        .setSessionTimeout(Duration.ofSeconds(17))
                        .setConnectionTimeout(Duration.ofSeconds(3))
                        .setAuth("alice:secret")
                        .setQueueAwaitTimeout(Duration.ofSeconds(9))
                        .setQueues("q")
                        .setGroup("g")
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();
        ZkmqSink<String> sink =
                ZkmqSink.<String>builder()
                        .setZookeeper(" zk1:2181,zk2:2181 ")
                        .setNamespace("apps-zkmq")
                        .setSessionTimeout(Duration.ofSeconds(17))
                        .setConnectionTimeout(Duration.ofSeconds(3))
                        .setAuth("alice:secret")
                        .setQueueAwaitTimeout(Duration.ofSeconds(9))
                        .setQueue("q")
                        .setRecordSerializer(valueOnly())
                        .build();

        ZkmqClientOptions fromSource = source.config().client();
        ZkmqClientOptions fromSink = sink.config().client();
        assertThat(fromSource.connectString()).isEqualTo("zk1:2181,zk2:2181");
        assertThat(fromSource.sessionTimeout()).isEqualTo(Duration.ofSeconds(17));
        assertThat(fromSource.digestAuth()).contains("alice:secret");
        assertThat(fromSink).hasToString(fromSource.toString());
        assertThat(fromSink.namespace()).isEqualTo(fromSource.namespace());
        assertThat(fromSink.connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(fromSink.digestAuth()).isEqualTo(fromSource.digestAuth());
        assertThat(source.config().queueAwaitTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(sink.config().queueAwaitTimeout()).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void connectionSettersWinOverTheConfigurationInBothBuilders() {
        Map<String, String> conf =
                Map.of("zookeeper", "from-conf:2181", "zookeeper.session-timeout", "1 min");

        ZkmqClientOptions source =
                ZkmqSource.<String>builder()
                        .setZookeeper("explicit:2181")
                        .setProperties(conf)
                        .setQueues("q")
                        .setGroup("g")
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build()
                        .config()
                        .client();
        ZkmqClientOptions sink =
                ZkmqSink.<String>builder()
                        .setZookeeper("explicit:2181")
                        .setProperties(conf)
                        .setQueue("q")
                        .setRecordSerializer(valueOnly())
                        .build()
                        .config()
                        .client();

        assertThat(source.connectString()).isEqualTo("explicit:2181");
        assertThat(sink.connectString()).isEqualTo("explicit:2181");
        assertThat(source.sessionTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(sink.sessionTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void bothBuildersRejectABadConnectionSettingAtTheSetterWithTheSameMessage() {
        assertThatThrownBy(() -> ZkmqSource.builder().setZookeeper(" "))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("setZookeeper needs a connect string such as 'localhost:2181'");
        assertThatThrownBy(() -> ZkmqSink.builder().setZookeeper(" "))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("setZookeeper needs a connect string such as 'localhost:2181'");
        assertThatThrownBy(() -> ZkmqSink.builder().setSessionTimeout(Duration.ZERO))
                .hasMessageContaining("session timeout must be a positive duration");
        assertThatThrownBy(() -> ZkmqSource.builder().setQueueAwaitTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("queue await timeout must be zero or a positive duration");
    }

    private static ZkmqRecordSerializationSchema<String> valueOnly() {
        return ZkmqRecordSerializationSchema.<String>builder()
                .setValueSerializationSchema(new SimpleStringSchema())
                .build();
    }
}
