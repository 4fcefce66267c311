package io.zkmq.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.sink.committer.ZkmqCommittable;
import io.zkmq.sink.committer.ZkmqCommittableSerializer;
import io.zkmq.sink.writer.ZkmqWriterState;
import io.zkmq.sink.writer.ZkmqWriterStateSerializer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/**
 * The sink builder refuses incomplete or contradictory settings with messages that say what to do.
 */
class ZkmqSinkBuilderTest {

    private static ZkmqSinkBuilder<String> complete() {
        return ZkmqSink.<String>builder()
                .setZookeeper("localhost:2181")
                .setQueue("orders")
                .setRecordSerializer(
                        ZkmqRecordSerializationSchema.<String>builder()
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build());
    }

    @Test
    void exactlyOnceWithoutATransactionalIdPrefixSaysWhyItIsNeeded() {
        assertThatThrownBy(
                        () ->
                                complete()
                                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("setTransactionalIdPrefix")
                .hasMessageContaining("abort the ones it left unfinished");
    }

    @Test
    void missingPiecesAreNamed() {
        assertThatThrownBy(() -> ZkmqSink.<String>builder().setQueue("q").build())
                .hasMessageContaining("ZooKeeper");
        assertThatThrownBy(() -> ZkmqSink.<String>builder().setZookeeper("zk:2181").build())
                .hasMessageContaining("setQueue");
        assertThatThrownBy(
                        () ->
                                ZkmqSink.<String>builder()
                                        .setZookeeper("zk:2181")
                                        .setQueue("q")
                                        .build())
                .hasMessageContaining("serializer");
        assertThatThrownBy(() -> complete().setQueueSelector(s -> "other").build())
                .hasMessageContaining("Both");
        assertThatThrownBy(() -> ZkmqRecordSerializationSchema.<String>builder().build())
                .hasMessageContaining("value serialization schema");
    }

    @Test
    void skippingFailedRecordsIsOnlyAllowedWithoutADeliveryGuarantee() {
        assertThatThrownBy(() -> complete().setSkipFailedRecords(true).build())
                .hasMessageContaining("only works with delivery guarantee NONE");
        assertThat(
                        complete()
                                .setDeliveryGuarantee(DeliveryGuarantee.NONE)
                                .setSkipFailedRecords(true)
                                .build()
                                .config()
                                .skipFailedRecords())
                .isTrue();
    }

    @Test
    void invalidNamesAndDurationsFailAtTheSetter() {
        assertThatThrownBy(() -> complete().setQueue("bad/name"))
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> complete().setTransactionalIdPrefix(" "))
                .hasMessageContaining("prefix");
        assertThatThrownBy(() -> complete().setDeliveryTimeout(Duration.ZERO))
                .hasMessageContaining("positive");
    }

    @Test
    void optionsFromAConfigurationUseTheDocumentedKeys() {
        ZkmqSink<String> sink =
                ZkmqSink.<String>builder()
                        .setProperties(
                                Map.of(
                                        "zookeeper",
                                        "zk:2181",
                                        "queue",
                                        "orders",
                                        "sink.delivery-guarantee",
                                        "exactly-once",
                                        "sink.transactional-id-prefix",
                                        "enricher",
                                        "sink.transaction.abandoned-timeout",
                                        "2 d"))
                        .setRecordSerializer(
                                ZkmqRecordSerializationSchema.<String>builder()
                                        .setValueSerializationSchema(new SimpleStringSchema())
                                        .build())
                        .build();

        assertThat(sink.config().deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(sink.config().transactionalIdPrefix()).isEqualTo("enricher");
        assertThat(sink.config().fixedQueue()).contains("orders");
        assertThat(sink.config().abandonedTimeout()).isEqualTo(Duration.ofDays(2));
        assertThat(sink.config().client().connectString()).isEqualTo("zk:2181");
    }

    @Test
    void committableAndWriterStateSurviveTheirSerializers() throws IOException {
        ZkmqCommittable c = new ZkmqCommittable("orders", 3, "p-1-7", "8f00aa", 120, 4_096);
        ZkmqCommittableSerializer cs = new ZkmqCommittableSerializer();
        assertThat(cs.deserialize(cs.getVersion(), cs.serialize(c))).isEqualTo(c);
        assertThatThrownBy(() -> cs.deserialize(2, cs.serialize(c)))
                .hasMessageContaining("version 2");

        ZkmqWriterStateSerializer ws = new ZkmqWriterStateSerializer();
        for (ZkmqWriterState s :
                new ZkmqWriterState[] {new ZkmqWriterState("p"), new ZkmqWriterState(null)}) {
            assertThat(ws.deserialize(ws.getVersion(), ws.serialize(s))).isEqualTo(s);
        }
    }

    @Test
    void explicitSettersWinOverConfigurationWhateverTheOrder() {
        ZkmqSink<String> sink =
                complete()
                        .setDeliveryGuarantee(DeliveryGuarantee.NONE)
                        .setProperties(
                                Map.of(
                                        "sink.delivery-guarantee",
                                        "at-least-once",
                                        "queue",
                                        "other"))
                        .build();
        assertThat(sink.config().deliveryGuarantee()).isEqualTo(DeliveryGuarantee.NONE);
        assertThat(sink.config().fixedQueue()).contains("orders");
    }

    @Test
    void anEmptyConfigurationKeepsTheDefaults() {
        ZkmqSink<String> sink = complete().setConfiguration(new Configuration()).build();
        assertThat(sink.config().deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(sink.config().abandonedTimeout()).isEqualTo(Duration.ofDays(7));
    }
}
