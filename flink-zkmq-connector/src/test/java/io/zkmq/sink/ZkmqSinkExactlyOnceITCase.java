package io.zkmq.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.ZkmqSource;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.QueueContents;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
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
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end: ZkmqSource -> map -> exactly-once ZkmqSink over multi-partition queues, checkpointing
 * every 200 ms, with a task that throws once partway and a TaskManager killed while the job runs.
 * The output queue, read completely with the plain client, holds every input record exactly once
 * and each key's records in input order.
 */
class ZkmqSinkExactlyOnceITCase {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            // One slot each: with parallelism 2 each TaskManager runs a subtask, so
                            // killing one hits the job.
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static final int RECORDS = 20_000;
    private static final int KEYS = 40;
    private static final String PREFIX = "e2e-sink";

    /** Set once the injected failure has been thrown (static: tasks run in this JVM). */
    static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

    static final AtomicInteger MAPPED = new AtomicInteger();

    @Test
    void everyRecordArrivesExactlyOnceInKeyOrderDespiteATaskFailureAndATaskManagerLoss(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin()
                .createQueue(
                        "in", QueueConfig.builder().partitions(4).maxBatchBytes(8 * 1024).build());
        client.admin().createQueue("out", QueueConfig.builder().partitions(3).build());
        List<String> input = produceInput(client);

        JobClient job = startJob(ns);
        // The TaskManager goes while the job is writing: after some output is committed, well
        // before the end.
        Deadline.await(
                "a third of the output committed",
                Duration.ofSeconds(90),
                () ->
                        committed(client) >= RECORDS / 3
                                || job.getJobStatus().join().isGloballyTerminalState());
        assertThat(committed(client))
                .as("the job was still running when the TaskManager was killed")
                .isLessThan(RECORDS);
        cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
        cluster.startTaskManager();
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        assertThat(FAILED_ONCE).as("the injected task failure happened").isTrue();
        Map<Integer, List<String>> output = readAll(client, "out", 3);
        List<String> all = new ArrayList<>();
        output.values().forEach(all::addAll);
        assertThat(all)
                .hasSize(RECORDS)
                .containsExactlyInAnyOrderElementsOf(
                        input.stream().map(v -> v + "|mapped").toList());
        assertKeyOrder(output);
        assertThat(client.transactions().listByPrefix(PREFIX))
                .extracting(TransactionStore.Listed::marker)
                .as("no transaction is left open")
                .allMatch(TransactionMarker::committed);
    }

    private static List<String> produceInput(ZkmqClient client) {
        List<String> values = new ArrayList<>(RECORDS);
        int[] seq = new int[KEYS];
        try (ZkmqProducer producer = client.producer("in")) {
            for (int i = 0; i < RECORDS; i++) {
                int key = i % KEYS;
                String value = "k" + key + ":" + seq[key]++;
                values.add(value);
                producer.send(
                        new Record(
                                ("k" + key).getBytes(StandardCharsets.UTF_8),
                                value.getBytes(StandardCharsets.UTF_8),
                                List.of(),
                                1_000L + i));
            }
            producer.flush();
        }
        return values;
    }

    private static JobClient startJob(String ns) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 20);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        ZkmqSource<String> source =
                ZkmqSource.<String>builder()
                        .setZookeeper(ZK.connectString())
                        .setNamespace(ns)
                        .setQueues("in")
                        .setGroup("e2e")
                        .setStartingPosition(StartingPosition.earliest())
                        .setBounded(StoppingPosition.latest())
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        // Slow enough that the failures land while the job runs (about 8 s of
                        // input).
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
                .map(new FailOnceMap(RECORDS / 4))
                .name("map")
                .sinkTo(sink)
                .name("out");
        return env.executeAsync("exactly-once end to end");
    }

    private static long committed(ZkmqClient client) {
        long sum = 0;
        for (int p = 0; p < 3; p++) {
            sum += client.admin().readHead("out", p).nextOffset();
        }
        return sum;
    }

    /** The whole output, as value strings by partition in offset order. */
    private static Map<Integer, List<String>> readAll(
            ZkmqClient client, String queue, int partitions) {
        long total = 0;
        Map<Integer, List<String>> out = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            out.put(p, new ArrayList<>());
            total += client.admin().readHead(queue, p).nextOffset();
        }
        for (QueueRecord r : QueueContents.readAll(client, queue, partitions, (int) total)) {
            out.get(r.partition()).add(r.valueAsString());
        }
        return out;
    }

    /** Within each output partition, each key's sequence numbers only grow. */
    private static void assertKeyOrder(Map<Integer, List<String>> output) {
        for (List<String> partition : output.values()) {
            Map<String, Integer> last = new HashMap<>();
            for (String v : partition) {
                String key = v.substring(0, v.indexOf(':'));
                int seq = Integer.parseInt(v.substring(v.indexOf(':') + 1, v.indexOf('|')));
                Integer previous = last.put(key, seq);
                assertThat(previous == null ? -1 : previous)
                        .as("order of key %s", key)
                        .isLessThan(seq);
            }
        }
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
