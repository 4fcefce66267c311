package io.zkmq.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.error.CorruptObjectException;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.JobAttempts;
import io.zkmq.testing.TieredQueue;
import io.zkmq.testing.ZooKeeperExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flink source reads a tiered queue (objects offloaded by real offload runs, their segments
 * trimmed from ZooKeeper) and its hot tail as one partition: bounded, unbounded while segments
 * leave ZooKeeper, and restored from a savepoint whose positions are only in the tier.
 */
class ZkmqSourceTierITCase {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path dir;
    @TempDir Path savepoints;

    private static ZkmqSourceBuilder<String> source(TieredQueue q) {
        return ZkmqSource.<String>builder()
                .setZookeeper(ZK.connectString())
                .setNamespace(q.namespace())
                .setQueues(q.queue())
                .setGroup("g")
                .setStartingPosition(StartingPosition.earliest())
                .setDeserializer(new RecordDescribingSchema());
    }

    private static StreamExecutionEnvironment env(String restoreFrom) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(300);
        return env;
    }

    private static JobClient start(TieredQueue q, String restoreFrom, String key) throws Exception {
        StreamExecutionEnvironment env = env(restoreFrom);
        env.fromSource(source(q).build(), WatermarkStrategy.noWatermarks(), "zkmq")
                .uid("zkmq-source")
                .sinkTo(new CollectingSink(key))
                .uid("collect");
        return env.executeAsync(key);
    }

    /**
     * Checks "queue/partition/offset/value" lines: each offset of {@code from[p]} up to the
     * produced end exactly once, with the value produced there.
     */
    private static void assertExactlyOnce(TieredQueue q, List<String> lines, long[] from) {
        List<String> expected = new ArrayList<>();
        for (int p = 0; p < from.length; p++) {
            for (long o = from[p]; o < q.produced(p); o++) {
                expected.add(q.queue() + "/" + p + "/" + o + "/v" + o);
            }
        }
        assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static void awaitCount(String key, long count) {
        Deadline.await(
                count + " records in " + key,
                Duration.ofSeconds(90),
                () -> CollectingSink.results(key).size() >= count);
    }

    @Test
    void aBoundedJobReadsTheTierThenTheHotTailOnceAndFinishes() throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "bounded", 2);
        q.produce(30_000);
        assertThat(q.offloadAndTrim()).isEqualTo(2);
        q.produce(5_000);
        assertThat(q.inZooKeeper(0, 0)).isFalse();

        StreamExecutionEnvironment env = env(null);
        String key = "tier-bounded-" + UUID.randomUUID();
        env.fromSource(
                        source(q).setBounded(StoppingPosition.latest()).build(),
                        WatermarkStrategy.noWatermarks(),
                        "bounded")
                .sinkTo(new CollectingSink(key));
        env.executeAsync(key).getJobExecutionResult().get(120, TimeUnit.SECONDS);
        List<String> read = CollectingSink.values(key);
        assertExactlyOnce(q, read, new long[2]);
    }

    @Test
    void anUnboundedJobKeepsReadingWhileSegmentsMoveToTheTier() throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "unbounded", 2);
        q.produce(20_000);
        assertThat(q.offloadAndTrim()).isEqualTo(2);
        String key = "tier-unbounded-" + UUID.randomUUID();
        JobClient job = start(q, null, key);
        try {
            awaitCount(key, q.producedTotal());
            for (int round = 0; round < 3; round++) {
                q.produce(10_000);
                q.offloadAndTrim();
            }
            awaitCount(key, q.producedTotal());
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        assertExactlyOnce(q, CollectingSink.values(key), new long[2]);
    }

    @Test
    void aJobRestoredFromASavepointWhosePositionsAreOnlyInTheTierReadsOnExactlyOnce()
            throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "restored", 2);
        q.produce(1_000);
        String first = "tier-first-" + UUID.randomUUID();
        JobClient job = start(q, null, first);
        awaitCount(first, q.producedTotal());
        String savepoint =
                job.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(90, TimeUnit.SECONDS);
        assertExactlyOnce(q, CollectingSink.values(first), new long[2]);

        long[] resumeAt = {q.produced(0), q.produced(1)};
        q.produce(30_000); // the job is down longer than the hot retention
        assertThat(q.offloadAndTrim()).isEqualTo(2);
        for (int p = 0; p < 2; p++) {
            assertThat(q.tierHigh(p).nextOffset()).isGreaterThan(resumeAt[p]);
            assertThat(q.inZooKeeper(p, 0)).isFalse();
        }

        String second = "tier-second-" + UUID.randomUUID();
        JobClient restored = start(q, savepoint, second);
        try {
            awaitCount(second, q.producedTotal() - resumeAt[0] - resumeAt[1]);
        } finally {
            restored.cancel().get(60, TimeUnit.SECONDS);
        }
        assertExactlyOnce(q, CollectingSink.values(second), resumeAt);
    }

    @Test
    void aCorruptTierObjectFailsTheJobOnceNamingTheObject(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "corrupt", 1);
        q.produce(20_000);
        assertThat(q.offloadAndTrim()).isEqualTo(1);
        Path object;
        try (var files = Files.walk(dir)) {
            object = files.filter(f -> f.toString().endsWith(".zkseg")).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
            f.seek(70); // inside the first record of batch 0: its CRC32C fails
            int b = f.read();
            f.seek(70);
            f.write(b ^ 0x01);
        }
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.fromSource(
                        source(q).setBounded(StoppingPosition.latest()).build(),
                        WatermarkStrategy.noWatermarks(),
                        "zkmq")
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync();
        JobAttempts.State state =
                JobAttempts.whenSettled(cluster, job.getJobID(), Duration.ofSeconds(90));
        if (!state.status().isGloballyTerminalState()) {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        assertThat(state)
                .as("failed once, never restarted")
                .isEqualTo(new JobAttempts.State(JobStatus.FAILED, 1, 0));
        Throwable failure =
                job.getJobExecutionResult().handle((r, e) -> e).get(60, TimeUnit.SECONDS);
        assertThat(ExceptionUtils.findThrowable(failure, CorruptObjectException.class))
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("queue 'corrupt' partition 0", object.getFileName().toString());
    }
}
