package io.zkmq.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.OwnerInfo;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.JobMetrics;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reader whose ZooKeeper session expires (the server is down for longer than the session timeout)
 * takes its partitions back under its new session and reads on, without a failover: the job runs
 * with no restarts allowed.
 */
class ZkmqSourceSessionLossITCase {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void aReaderWhoseSessionExpiredTakesItsPartitionsBackAndReadsOnWithoutAFailover()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        SourceTesting.createQueue(client, "s", 2);
        List<String> expected =
                new ArrayList<>(SourceTesting.produce(client, "s", "before", 100, 10));

        Configuration conf = new Configuration();
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY,
                "none"); // any reader failure would fail the job
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.enableCheckpointing(200);
        String out = "s" + UUID.randomUUID();
        env.fromSource(
                        ZkmqSource.<String>builder()
                                .setZookeeper(ZK.connectString())
                                .setNamespace(ns)
                                .setQueues("s")
                                .setGroup("g")
                                .setStartingPosition(StartingPosition.earliest())
                                .setSessionTimeout(Duration.ofSeconds(4))
                                .setValueOnlyDeserializer(new SimpleStringSchema())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "zkmq")
                .sinkTo(new CollectingSink(out));
        JobClient job = env.executeAsync(out);
        Deadline.await(
                "the first 100 records",
                Duration.ofSeconds(60),
                () -> CollectingSink.values(out).size() == 100);
        OwnerInfo before = client.admin().readOwner("s", "g", 0).orElseThrow();

        // Down for longer than the session timeout: Curator reports LOST and starts a new session.
        ZK.server().stop();
        try {
            Deadline.await(
                    "the reader reports its locks lost",
                    Duration.ofSeconds(60),
                    () ->
                            JobMetrics.sum(REPORTER, job.getJobID(), "zkmq.ownershipLosses")
                                            .orElse(0L)
                                    >= 1);
        } finally {
            ZK.server().restart();
        }

        Deadline.await(
                "both partitions held again by the same reader under a new session",
                Duration.ofSeconds(60),
                () -> {
                    for (int p = 0; p < 2; p++) {
                        OwnerInfo now = client.admin().readOwner("s", "g", p).orElse(null);
                        if (now == null
                                || !now.ownerId().equals(before.ownerId())
                                || now.sessionId() == before.sessionId()) {
                            return false;
                        }
                    }
                    return true;
                });
        assertThat(client.admin().readOwner("s", "g", 0).orElseThrow().epoch())
                .isGreaterThan(before.epoch());

        expected.addAll(SourceTesting.produce(client, "s", "after", 100, 10));
        Deadline.await(
                "the records written after the outage",
                Duration.ofSeconds(60),
                () -> CollectingSink.values(out).size() >= 200);
        assertThat(CollectingSink.values(out)).containsExactlyInAnyOrderElementsOf(expected);
        Deadline.await(
                "offsets committed under the new epoch",
                Duration.ofSeconds(30),
                () -> committed(client, 0) + committed(client, 1) == 200);
        assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS))
                .as("no failover")
                .isEqualTo(JobStatus.RUNNING);
        job.cancel().get(60, TimeUnit.SECONDS);
    }

    private static long committed(ZkmqClient client, int partition) {
        return client.admin()
                .readCommitted("s", "g", partition)
                .map(c -> c.position().offset())
                .orElse(0L);
    }
}
