package io.zkmq.sink.testframe;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.StartingPosition;
import io.zkmq.sink.ZkmqRecordSerializationSchema;
import io.zkmq.sink.ZkmqSink;
import io.zkmq.testing.ZooKeeperExtension;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.DataStreamSinkV2ExternalContext;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;

/**
 * A sink test context: one 4-partition queue in a namespace of its own, written with exactly-once
 * or at-least-once delivery as the suite's checkpointing mode says, read back with the plain
 * client.
 */
final class ZkmqSinkExternalContext implements DataStreamSinkV2ExternalContext<String> {
    private static final String QUEUE = "sink-suite";
    private static final int PARTITIONS = 4;

    private final Supplier<String> connectString;
    private final String namespace = ZooKeeperExtension.freshNamespace();
    private final String prefix = "suite-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<ZkmqConsumer> readers = new ArrayList<>();
    private ZkmqClient client;

    ZkmqSinkExternalContext(Supplier<String> connectString) {
        this.connectString = connectString;
    }

    private synchronized ZkmqClient client() {
        if (client == null) {
            client =
                    ZkmqClient.connect(
                            ZkmqClientOptions.builder(connectString.get())
                                    .namespace(namespace)
                                    .build());
            client.admin().createQueue(QUEUE, QueueConfig.builder().partitions(PARTITIONS).build());
        }
        return client;
    }

    @Override
    public Sink<String> createSink(TestingSinkSettings settings) {
        client(); // the queue must exist before the job starts
        boolean exactlyOnce = settings.getCheckpointingMode().name().equals("EXACTLY_ONCE");
        return ZkmqSink.<String>builder()
                .setZookeeper(connectString.get())
                .setNamespace(namespace)
                .setQueue(QUEUE)
                .setRecordSerializer(
                        ZkmqRecordSerializationSchema.<String>builder()
                                .setKeySerializationSchema(new SimpleStringSchema())
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build())
                .setDeliveryGuarantee(
                        exactlyOnce
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(prefix)
                .build();
    }

    @Override
    public synchronized ExternalSystemDataReader<String> createSinkDataReader(
            TestingSinkSettings settings) {
        ZkmqConsumer consumer = client().consumer(QUEUE, ConsumerOptions.builder().build());
        Map<Integer, StartingPosition> all = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.put(p, StartingPosition.earliest());
        }
        consumer.assign(all);
        readers.add(consumer);
        return new ExternalSystemDataReader<>() {
            @Override
            public List<String> poll(Duration timeout) {
                List<String> out = new ArrayList<>();
                for (QueueRecord r : consumer.poll(timeout)) {
                    out.add(new String(r.value(), StandardCharsets.UTF_8));
                }
                return out;
            }

            @Override
            public void close() {
                consumer.close();
            }
        };
    }

    @Override
    public List<String> generateTestData(TestingSinkSettings settings, long seed) {
        Random random = new Random(seed);
        int count = 100 + random.nextInt(400);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(i + "-" + Long.toHexString(random.nextLong()));
        }
        return out;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    @Override
    public List<URL> getConnectorJarPaths() {
        return List.of();
    }

    @Override
    public synchronized void close() {
        readers.forEach(ZkmqConsumer::close);
        readers.clear();
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public String toString() {
        return "4-partition queue";
    }
}
