package io.zkmq.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.JobMetrics;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reader's own metrics, read from a real job through Flink's in-memory metric reporter. */
class ZkmqSourceMetricsITCase {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private final String ns = ZooKeeperExtension.freshNamespace();

    /** Sum over the job's subtasks, or null while the metric is not registered. */
    private static Long sum(JobID job, String name) {
        return JobMetrics.sum(REPORTER, job, name).orElse(null);
    }

    private static String text(JobID job, String name) {
        return JobMetrics.text(REPORTER, job, name);
    }

    private ZkmqSourceBuilder<String> source() {
        return ZkmqSource.<String>builder()
                .setZookeeper(ZK.connectString())
                .setNamespace(ns)
                .setQueues("m")
                .setGroup("g")
                .setStartingPosition(StartingPosition.earliest())
                .setValueOnlyDeserializer(new SimpleStringSchema());
    }

    private static JobClient start(ZkmqSource<String> source, String key) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "zkmq")
                .sinkTo(new CollectingSink(key));
        return env.executeAsync(key);
    }

    @Test
    void pendingRecordsCommitsFetchLagAndLockWaitsAreReported() throws Exception {
        ZkmqClient client = ZK.client(ns);
        // Small batches: the fetcher (which pendingRecords follows, as Flink defines it) stays
        // behind
        // the head while the rate-limited reader holds back, instead of fetching the backlog at
        // once.
        client.admin()
                .createQueue(
                        "m",
                        io.zkmq.queue.QueueConfig.builder()
                                .partitions(2)
                                .maxBatchBytes(io.zkmq.queue.QueueConfig.MIN_BATCH_BYTES)
                                .build());
        SourceTesting.produce(client, "m", "v", 3_000, 10);

        String out = "m" + UUID.randomUUID();
        JobClient reader =
                start(
                        source().setRateLimiterStrategy(RateLimiterStrategy.perSecond(1_000))
                                .build(),
                        out);
        JobID id = reader.getJobID();
        Deadline.await(
                "pendingRecords shows the backlog while the rate-limited job reads",
                Duration.ofSeconds(30),
                () -> {
                    Long pending = sum(id, "pendingRecords");
                    return pending != null
                            && pending > 0
                            && CollectingSink.results(out).size() < 3_000;
                });
        Deadline.await(
                "all 3000 read",
                Duration.ofSeconds(60),
                () -> CollectingSink.results(out).size() == 3_000);
        Deadline.await(
                "pendingRecords drops to 0 and commits succeed",
                Duration.ofSeconds(30),
                () -> {
                    Long pending = sum(id, "pendingRecords");
                    Long commits = sum(id, "zkmq.commitsSucceeded");
                    return pending != null && pending == 0 && commits != null && commits > 0;
                });
        assertThat(sum(id, "currentFetchEventTimeLag"))
                .as("records carry 1970 timestamps")
                .isGreaterThan(1_000_000L);
        assertThat(sum(id, "zkmq.commitsFailed")).isZero();
        assertThat(sum(id, "zkmq.ownershipLosses")).isZero();

        // A second job of the same group waits for both partitions and shows who holds them.
        JobClient waiting =
                start(
                        source().setLockTimeout(Duration.ofSeconds(60)).build(),
                        "w" + UUID.randomUUID());
        Deadline.await(
                "the second job reports two partitions waiting for job " + id,
                Duration.ofSeconds(30),
                () -> {
                    Long locksWaiting = sum(waiting.getJobID(), "zkmq.locksWaiting");
                    return locksWaiting != null
                            && locksWaiting == 2
                            && text(waiting.getJobID(), "zkmq.lockHolders").contains("job-" + id);
                });
        Deadline.await(
                "lock wait time accumulates",
                Duration.ofSeconds(30),
                () ->
                        Optional.ofNullable(sum(waiting.getJobID(), "zkmq.lockWaitTimeMs"))
                                        .orElse(0L)
                                > 0);
        waiting.cancel().get(60, TimeUnit.SECONDS);
        reader.cancel().get(60, TimeUnit.SECONDS);
    }
}
