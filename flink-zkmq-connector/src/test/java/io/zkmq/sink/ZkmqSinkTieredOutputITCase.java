package io.zkmq.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.PartitionInfo;
import io.zkmq.client.QueueDescription;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.ZkmqSource;
import io.zkmq.testing.QueueContents;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the real maintenance path: an exactly-once job (with an injected task failure and
 * restart) writes into a tiered output queue while the queue's maintenance leader offloads and
 * hot-trims it every 100 ms. Read back from earliest across tier and ZooKeeper, the output holds
 * every input record exactly once, with dense offsets, and most of it came from the tier.
 */
class ZkmqSinkTieredOutputITCase {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int RECORDS = 10_000;
    private static final int KEYS = 20;
    private static final int OUT_PARTITIONS = 2;
    private static final int SEGMENT_BATCHES = 4;
    private static final long HOT_BYTES = 4_096;
    private static final String PREFIX = "tiered-out";

    static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();
    static final AtomicInteger MAPPED = new AtomicInteger();

    @TempDir Path tierDir;

    @Test
    void exactlyOnceOutputOffloadedWhileTheJobRunsReadsBackCompleteAndDense() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin()
                .createQueue(
                        "in", QueueConfig.builder().partitions(2).maxBatchBytes(8 * 1024).build());
        client.admin()
                .createQueue(
                        "out",
                        QueueConfig.builder()
                                .partitions(OUT_PARTITIONS)
                                .maxBatchBytes(4 * 1024)
                                .segmentBatches(SEGMENT_BATCHES)
                                .retentionBytes(1L << 40)
                                .tierUri(tierDir.toUri().toString())
                                .hotRetentionBytes(HOT_BYTES)
                                .build());
        List<String> input = produceInput(client);

        // Joins the output queue's maintenance election before the job's writers do, so that this
        // client (interval 100 ms) leads it: the job's own 30 s default would offload nothing
        // during a run of a few seconds. The tasks it runs are the same real ones.
        ZkmqClient maintainer =
                ZK.track(
                        ZkmqClient.connect(
                                ZK.options(ns)
                                        .maintenanceInterval(Duration.ofMillis(100))
                                        .build()));
        maintainer.joinMaintenance("out", new MaintenanceLeader.Settings(Duration.ofMillis(100)));

        JobClient job = startJob(ns);
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
        assertThat(FAILED_ONCE).as("the injected task failure happened").isTrue();

        QueueDescription described = client.admin().describeQueue("out");
        for (PartitionInfo p : described.partitions()) {
            assertThat(p.tieredBytes())
                    .as("tiered bytes of partition %d", p.partition())
                    .isPositive();
            assertThat(p.tieredSegments() * SEGMENT_BATCHES)
                    .as("batches of partition %d in the tier (of %d)", p.partition(), p.headSeq())
                    .isGreaterThan(p.headSeq() / 2);
            assertThat(
                            client.curator()
                                    .checkExists()
                                    .forPath(ZkmqPaths.segment("out", p.partition(), 0)))
                    .as("first segment of partition %d left ZooKeeper", p.partition())
                    .isNull();
        }

        List<QueueRecord> output = QueueContents.readAll(client, "out", OUT_PARTITIONS, RECORDS);
        Map<Integer, Long> nextOffset = new HashMap<>();
        for (QueueRecord r : output) {
            long expected = nextOffset.getOrDefault(r.partition(), 0L);
            assertThat(r.offset())
                    .as("offsets of partition %d are dense", r.partition())
                    .isEqualTo(expected);
            nextOffset.put(r.partition(), expected + 1);
        }
        assertThat(output.stream().map(QueueRecord::valueAsString).toList())
                .hasSize(RECORDS)
                .containsExactlyInAnyOrderElementsOf(
                        input.stream().map(v -> v + "|mapped").toList());
    }

    private static List<String> produceInput(ZkmqClient client) {
        List<String> values = new ArrayList<>(RECORDS);
        // Timestamps of now: the sink keeps them, and the output's retention by time (7 days)
        // must not trim what the test reads back.
        long now = System.currentTimeMillis();
        try (ZkmqProducer producer = client.producer("in")) {
            for (int i = 0; i < RECORDS; i++) {
                String value = "k" + (i % KEYS) + ":" + i;
                values.add(value);
                producer.send(
                        new Record(
                                ("k" + (i % KEYS)).getBytes(StandardCharsets.UTF_8),
                                value.getBytes(StandardCharsets.UTF_8),
                                List.of(),
                                now + i));
            }
            producer.flush();
        }
        return values;
    }

    private static JobClient startJob(String ns) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        ZkmqSource<String> source =
                ZkmqSource.<String>builder()
                        .setZookeeper(ZK.connectString())
                        .setNamespace(ns)
                        .setQueues("in")
                        .setGroup("tiered-out")
                        .setStartingPosition(StartingPosition.earliest())
                        .setBounded(StoppingPosition.latest())
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        // About 4 s of input: many checkpoints (commits) and maintenance runs.
                        .setRateLimiterStrategy(RateLimiterStrategy.perSecond(2_500))
                        .build();
        ZkmqSink<String> sink =
                ZkmqSink.<String>builder()
                        .setZookeeper(ZK.connectString())
                        .setNamespace(ns)
                        .setQueue("out")
                        .setRecordSerializer(
                                ZkmqRecordSerializationSchema.<String>builder()
                                        .setKeySerializationSchema(
                                                v ->
                                                        v.substring(0, v.indexOf(':'))
                                                                .getBytes(StandardCharsets.UTF_8))
                                        .setValueSerializationSchema(new SimpleStringSchema())
                                        .build())
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(PREFIX)
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "in")
                .map(new FailOnceMap(RECORDS / 3))
                .name("map")
                .sinkTo(sink)
                .name("out");
        return env.executeAsync("exactly-once into a tiered queue");
    }

    /** Appends a marker to each value and throws once, after {@code failAfter} records in total. */
    static final class FailOnceMap implements MapFunction<String, String> {
        private final int failAfter;

        FailOnceMap(int failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public String map(String value) {
            if (MAPPED.incrementAndGet() >= failAfter && FAILED_ONCE.compareAndSet(false, true)) {
                throw new IllegalStateException("Injected failure after " + failAfter + " records");
            }
            return value + "|mapped";
        }
    }
}
