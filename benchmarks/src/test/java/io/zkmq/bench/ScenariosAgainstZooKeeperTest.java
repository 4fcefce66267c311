package io.zkmq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs each scenario briefly against an in-JVM ZooKeeper: it must measure something and leave
 * nothing behind.
 */
class ScenariosAgainstZooKeeperTest {

    private static TestingServer server;
    private static ScenarioContext context;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        // The tiered scenario samples ZooKeeper's data size with the 'mntr' command.
        System.setProperty("zookeeper.4lw.commands.whitelist", "*");
        server = new TestingServer();
        context =
                new ScenarioContext(
                        server.getConnectString(), Duration.ofMillis(300), 100, 64 * 1024);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        server.close();
    }

    @Test
    void rawCreatesReportBytesZnodesAndSmallZnodesPerSecond() throws Exception {
        List<Result> results = new RawZkCreateScenario().run(context);

        assertThat(results)
                .extracting(Result::name)
                .containsExactly(
                        "raw_zk_create_MBps",
                        "raw_zk_create_znodes_per_s",
                        "raw_zk_create_small_per_s");
        assertThat(results).allSatisfy(result -> assertThat(result.value()).isPositive());
        assertNoScratchZnodesLeft();
    }

    @Test
    void curatorQueueReportsPutAndTakeRates() throws Exception {
        // Curator's queue takes a few hundred records/s at best: a longer window than the others,
        // so a loaded
        // machine still takes some within it.
        ScenarioContext longer =
                new ScenarioContext(
                        server.getConnectString(), Duration.ofMillis(1500), 100, 64 * 1024);
        List<Result> results = new CuratorQueueScenario().run(longer);

        assertThat(results)
                .extracting(Result::name)
                .containsExactly(
                        "curator_queue_put_records_per_s", "curator_queue_take_records_per_s");
        assertThat(results).allSatisfy(result -> assertThat(result.value()).isPositive());
        assertNoScratchZnodesLeft();
    }

    @Test
    void flinkSourceReportsRecordsReadPerSecond() throws Exception {
        ScenarioContext tiny =
                new ScenarioContext(
                        server.getConnectString(),
                        Duration.ofMillis(300),
                        100,
                        64 * 1024,
                        20_000,
                        2);

        List<Result> results = new FlinkSourceScenario().run(tiny);

        assertThat(results).extracting(Result::name).containsExactly("flink_source_records_per_s");
        assertThat(results).allSatisfy(result -> assertThat(result.value()).isPositive());
        assertNoScratchZnodesLeft();
    }

    @Test
    void flinkSinkReportsRecordsWrittenPerSecondForBothGuarantees() throws Exception {
        // The scenario itself fails unless each job leaves exactly this many records in its queue.
        ScenarioContext tiny =
                new ScenarioContext(
                        server.getConnectString(),
                        Duration.ofMillis(300),
                        100,
                        64 * 1024,
                        5_000,
                        2);

        List<Result> results = new FlinkSinkScenario().run(tiny);

        assertThat(results)
                .extracting(Result::name)
                .containsExactly("flink_sink_alo_records_per_s", "flink_sink_eo_records_per_s");
        assertThat(results).allSatisfy(result -> assertThat(result.value()).isPositive());
        assertNoScratchZnodesLeft();
    }

    @Test
    void latencyReportsP50AndP99AtBothRatesWithAndWithoutLinger() throws Exception {
        List<Result> results = new LatencyScenario().run(context);

        assertThat(results)
                .extracting(Result::name)
                .containsExactly(
                        "zkmq_latency_p50_ms_1k",
                        "zkmq_latency_p99_ms_1k",
                        "zkmq_latency_p50_ms_10k",
                        "zkmq_latency_p99_ms_10k",
                        "zkmq_latency_default_linger_p50_ms_1k",
                        "zkmq_latency_default_linger_p99_ms_1k",
                        "zkmq_latency_default_linger_p50_ms_10k",
                        "zkmq_latency_default_linger_p99_ms_10k");
        assertThat(results).allSatisfy(result -> assertThat(result.value()).isPositive());
        for (int i = 0; i < results.size(); i += 2) {
            assertThat(results.get(i + 1).value()).isGreaterThanOrEqualTo(results.get(i).value());
        }
        assertNoScratchZnodesLeft();
    }

    @Test
    void tieredReportsProduceRateZooKeeperSizeAndBothCatchUpRates() throws Exception {
        ScenarioContext tiny =
                new ScenarioContext(
                        server.getConnectString(),
                        Duration.ofMillis(300),
                        100,
                        64 * 1024,
                        5_000,
                        2,
                        Duration.ofSeconds(1));

        List<Result> results = new TieredScenario().run(tiny);

        assertThat(results)
                .extracting(Result::name)
                .containsExactly(
                        "tiered_produce_records_per_s",
                        "tiered_zk_data_MB_max",
                        "tiered_retained_MB",
                        "tiered_zk_data_MB_end",
                        "tiered_catchup_records_per_s",
                        "tiered_flink_catchup_records_per_s");
        assertThat(results).allSatisfy(result -> assertThat(result.value()).isPositive());
        assertNoScratchZnodesLeft();
    }

    private static void assertNoScratchZnodesLeft() throws Exception {
        try (CuratorFramework client = context.connect()) {
            assertThat(client.checkExists().forPath(ScenarioContext.SCRATCH_ROOT)).isNull();
        }
    }
}
