package io.zkmq.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.RecordTooLargeException;
import io.zkmq.queue.Header;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.QueueContents;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sink in real jobs: routing, headers and timestamps, queue selection, and clear failures. */
class ZkmqSinkITCase {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private String ns;
    private ZkmqClient client;

    @BeforeEach
    void setUp() {
        ns = ZooKeeperExtension.freshNamespace();
        client = ZK.client(ns);
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(100);
        return env;
    }

    private ZkmqSinkBuilder<String> sink(DeliveryGuarantee guarantee) {
        return ZkmqSink.<String>builder()
                .setZookeeper(ZK.connectString())
                .setNamespace(ns)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix("it-" + guarantee.name().toLowerCase())
                .setRecordSerializer(
                        ZkmqRecordSerializationSchema.<String>builder()
                                .setKeySerializationSchema(
                                        v ->
                                                v.substring(0, v.indexOf(':'))
                                                        .getBytes(StandardCharsets.UTF_8))
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .setHeaderProvider(v -> List.of(Header.of("origin", "flink")))
                                .build());
    }

    private static List<String> values(int count, int keys) {
        return IntStream.range(0, count).mapToObj(i -> "key" + (i % keys) + ":" + i).toList();
    }

    @ParameterizedTest
    @EnumSource(DeliveryGuarantee.class)
    void keyedRecordsLandWhereThePlainProducerPutsTheSameKeys(DeliveryGuarantee guarantee)
            throws Exception {
        client.admin().createQueue("out", QueueConfig.builder().partitions(5).build());
        client.admin().createQueue("reference", QueueConfig.builder().partitions(5).build());
        List<String> written = values(2_000, 97);

        StreamExecutionEnvironment env = env();
        env.fromData(written).sinkTo(sink(guarantee).setQueue("out").build());
        env.execute();
        try (ZkmqProducer producer = client.producer("reference")) {
            for (String v : written) {
                producer.send(
                        new Record(
                                v.substring(0, v.indexOf(':')).getBytes(StandardCharsets.UTF_8),
                                v.getBytes(StandardCharsets.UTF_8),
                                List.of(),
                                0));
            }
            producer.flush();
        }

        Map<String, Integer> sinkPartitionOfKey =
                partitionOfKey(QueueContents.readAll(client, "out", 5, written.size()));
        assertThat(sinkPartitionOfKey)
                .hasSize(97)
                .isEqualTo(
                        partitionOfKey(
                                QueueContents.readAll(client, "reference", 5, written.size())));
        List<QueueRecord> records = QueueContents.readAll(client, "out", 5, written.size());
        assertThat(records)
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(written);
        assertThat(records)
                .allSatisfy(
                        r ->
                                assertThat(r.headers())
                                        .extracting(Header::key)
                                        .containsExactly("origin"));
    }

    @Test
    void aQueueSelectorWritesEachRecordToItsQueue() throws Exception {
        client.admin().createQueue("even", QueueConfig.builder().partitions(2).build());
        client.admin().createQueue("odd", QueueConfig.builder().partitions(1).build());
        List<String> written = values(300, 10);

        StreamExecutionEnvironment env = env();
        env.fromData(written)
                .sinkTo(
                        sink(DeliveryGuarantee.EXACTLY_ONCE)
                                .setQueueSelector(
                                        v ->
                                                Integer.parseInt(v.substring(v.indexOf(':') + 1))
                                                                        % 2
                                                                == 0
                                                        ? "even"
                                                        : "odd")
                                .build());
        env.execute();

        assertThat(QueueContents.readAll(client, "even", 2, 150))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .allMatch(v -> Integer.parseInt(v.substring(v.indexOf(':') + 1)) % 2 == 0)
                .hasSize(150);
        assertThat(QueueContents.readAll(client, "odd", 1, 150)).hasSize(150);
    }

    @ParameterizedTest
    @EnumSource(
            value = DeliveryGuarantee.class,
            names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void aMissingQueueFailsTheJobNamingTheQueue(DeliveryGuarantee guarantee) {
        StreamExecutionEnvironment env = env();
        env.fromData(values(10, 2)).sinkTo(sink(guarantee).setQueue("nowhere").build());

        Throwable failure = catchFailure(env);
        Optional<QueueNotFoundException> missing =
                ExceptionUtils.findThrowable(failure, QueueNotFoundException.class);
        assertThat(missing).as("failure %s", failure).isPresent();
        assertThat(missing.get().getMessage()).contains("nowhere");
    }

    @ParameterizedTest
    @EnumSource(
            value = DeliveryGuarantee.class,
            names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void anOversizedRecordFailsTheJobAndNothingIsSilentlyDropped(DeliveryGuarantee guarantee) {
        client.admin()
                .createQueue(
                        "small", QueueConfig.builder().partitions(1).maxBatchBytes(4096).build());
        List<String> written = new ArrayList<>(values(10, 2));
        written.add("big:" + "x".repeat(10_000));
        StreamExecutionEnvironment env = env();
        env.setParallelism(1);
        env.fromData(written).sinkTo(sink(guarantee).setQueue("small").build());

        Throwable failure = catchFailure(env);
        Optional<RecordTooLargeException> tooLarge =
                ExceptionUtils.findThrowable(failure, RecordTooLargeException.class);
        assertThat(tooLarge).as("failure %s", failure).isPresent();
        assertThat(tooLarge.get().getMessage()).contains("small").contains("4096");
    }

    @Test
    void partitionsAddedWhileTheJobRunsReceiveRecords() throws Exception {
        client.admin().createQueue("growing", QueueConfig.builder().partitions(1).build());
        StreamExecutionEnvironment env = env();
        env.setParallelism(1);
        env.fromSequence(0, Long.MAX_VALUE)
                .map(i -> "k" + i + ":" + i)
                .returns(String.class)
                .sinkTo(sink(DeliveryGuarantee.AT_LEAST_ONCE).setQueue("growing").build());
        var job = env.executeAsync();
        try {
            Deadline.await(
                    "records in partition 0",
                    Duration.ofSeconds(30),
                    () -> client.admin().readHead("growing", 0).nextOffset() > 0);
            client.admin().addPartitions("growing", 3);
            Deadline.await(
                    "records in the added partitions",
                    Duration.ofSeconds(30),
                    () ->
                            client.admin().readHead("growing", 1).nextOffset() > 0
                                    && client.admin().readHead("growing", 2).nextOffset() > 0);
        } finally {
            job.cancel().get();
        }
    }

    /** Holds the last record of the spill test's job (tasks run in this JVM). */
    static volatile CountDownLatch LAST_RECORD_GATE = new CountDownLatch(0);

    @Test
    void anExactlyOnceWriterOverItsMemoryLimitStagesEarlyAndStillCommitsOnlyWithTheCheckpoint()
            throws Exception {
        client.admin().createQueue("spill", QueueConfig.builder().partitions(2).build());
        int records = 40_000; // about 4.5 MB of 110-byte records, over a 1 MiB memory limit
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(
                60_000); // no checkpoint before the end of input: only the final one commits
        // The last record waits at the gate, so the job is surely running (and has not committed)
        // while the
        // test looks.
        LAST_RECORD_GATE = new CountDownLatch(1);
        env.fromSequence(0, records - 1)
                .map(
                        i -> {
                            if (i == records - 1) {
                                LAST_RECORD_GATE.await();
                            }
                            return "k" + (i % 7) + ":" + i + ":" + "p".repeat(90);
                        })
                .returns(String.class)
                .sinkTo(
                        sink(DeliveryGuarantee.EXACTLY_ONCE)
                                .setQueue("spill")
                                .setTransactionMaxBufferedBytes(1024 * 1024)
                                .build());
        var job = env.executeAsync();
        try {
            Deadline.await(
                    "transactions staged early",
                    Duration.ofSeconds(60),
                    () -> !client.transactions().listByPrefix("it-exactly_once").isEmpty());
            assertThat(
                            client.admin().readHead("spill", 0).nextOffset()
                                    + client.admin().readHead("spill", 1).nextOffset())
                    .as("staged records are invisible before the checkpoint")
                    .isZero();
            assertThat(
                            client.curator()
                                    .getChildren()
                                    .forPath(io.zkmq.queue.ZkmqPaths.maintenance("spill")))
                    .as("the writer joined the queue's maintenance election")
                    .isNotEmpty();
        } finally {
            LAST_RECORD_GATE.countDown();
        }
        job.getJobExecutionResult().get();

        assertThat(QueueContents.readAll(client, "spill", 2, records)).hasSize(records);
    }

    private static Throwable catchFailure(StreamExecutionEnvironment env) {
        try {
            env.execute();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("The job did not fail");
    }

    private static Map<String, Integer> partitionOfKey(List<QueueRecord> records) {
        Map<String, Integer> out = new HashMap<>();
        for (QueueRecord r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            Integer previous = out.put(key, r.partition());
            assertThat(previous == null ? r.partition() : previous)
                    .as("key %s in one partition", key)
                    .isEqualTo(r.partition());
        }
        return out;
    }
}
