package io.zkmq.source.testframe;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.ZkmqSource;
import io.zkmq.source.ZkmqSourceBuilder;
import io.zkmq.testing.ZooKeeperExtension;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;

/**
 * What the connector test suite needs from ZKMQ for one test case: splits to write into, test data
 * and a source over them. Each context (one per case and semantic) works in a fresh ZooKeeper
 * namespace with a fresh consumer group, so no case sees another's queues, offsets or locks. The
 * source starts at the earliest record; in bounded mode it stops at the heads the partitions had
 * when the job started ({@link StoppingPosition#latest()}).
 *
 * <p>Subclasses decide what a split is: a whole single-partition queue, or one partition of a queue
 * that grows by one partition per split.
 */
abstract class ZkmqSourceExternalContext implements DataStreamSourceExternalContext<String> {
    private static final int MIN_RECORDS = 100;
    private static final int MAX_RECORDS = 500;
    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Supplier<String> connectString;
    private final String namespace = ZooKeeperExtension.freshNamespace();
    private final String group = "suite-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<QueueSplitDataWriter> writers = new ArrayList<>();
    private ZkmqClient client;

    /**
     * @param connectString read when first needed: contexts are created before the server starts
     */
    ZkmqSourceExternalContext(Supplier<String> connectString) {
        this.connectString = connectString;
    }

    /** Creates the next split (number {@code index}, from 0) and a writer for it. */
    protected abstract QueueSplitDataWriter newSplit(ZkmqClient client, int index);

    /** A source over this context's splits; {@link #sourceBuilder} holds the shared settings. */
    protected abstract Source<String, ?, ?> newSource(boolean bounded);

    @Override
    public Source<String, ?, ?> createSource(TestingSourceSettings settings) {
        return newSource(settings.getBoundedness() == Boundedness.BOUNDED);
    }

    /** The settings every source of this context shares: server, namespace, group, start, end. */
    protected final ZkmqSourceBuilder<String> sourceBuilder(boolean bounded) {
        ZkmqSourceBuilder<String> builder =
                ZkmqSource.<String>builder()
                        .setZookeeper(connectString.get())
                        .setNamespace(namespace)
                        .setGroup(group)
                        .setStartingPosition(StartingPosition.earliest())
                        .setValueOnlyDeserializer(new SimpleStringSchema());
        if (bounded) {
            builder.setBounded(StoppingPosition.latest());
        }
        return builder;
    }

    @Override
    public synchronized ExternalSystemSplitDataWriter<String> createSourceSplitDataWriter(
            TestingSourceSettings settings) {
        QueueSplitDataWriter writer = newSplit(client(), writers.size());
        writers.add(writer);
        return writer;
    }

    @Override
    public List<String> generateTestData(
            TestingSourceSettings settings, int splitIndex, long seed) {
        Random random = new Random(seed);
        int count = MIN_RECORDS + random.nextInt(MAX_RECORDS - MIN_RECORDS);
        List<String> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder value =
                    new StringBuilder()
                            .append(splitIndex)
                            .append('-')
                            .append(Long.toHexString(seed & 0xffffffL))
                            .append('-')
                            .append(i)
                            .append('-');
            int length = 1 + random.nextInt(50);
            for (int c = 0; c < length; c++) {
                value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            records.add(value.toString());
        }
        return records;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    @Override
    public List<URL> getConnectorJarPaths() {
        return List.of(); // the MiniCluster runs in this JVM, with the test class path
    }

    /**
     * Closes the writers and the client. The namespace is left in place (the server is discarded
     * after the suite): a job of this case may still be winding down, and deleting its queues under
     * it would only add noise.
     */
    @Override
    public synchronized void close() {
        writers.forEach(QueueSplitDataWriter::close);
        writers.clear();
        if (client != null) {
            client.close();
            client = null;
        }
    }

    protected final synchronized ZkmqClient client() {
        if (client == null) {
            client =
                    ZkmqClient.connect(
                            ZkmqClientOptions.builder(connectString.get())
                                    .namespace(namespace)
                                    .sessionTimeout(Duration.ofSeconds(10))
                                    .connectionTimeout(Duration.ofSeconds(5))
                                    .build());
        }
        return client;
    }
}
