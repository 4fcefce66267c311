package io.zkmq.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.sink.ZkmqRecordSerializationSchema;
import io.zkmq.sink.ZkmqSink;
import io.zkmq.sink.ZkmqSinkBuilder;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.ZkmqSource;
import io.zkmq.source.ZkmqSourceBuilder;
import io.zkmq.testing.CorruptQueues;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.JobAttempts;
import io.zkmq.testing.QueueContents;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A missing queue and a corrupt batch cannot be cured by restarting: the job fails once, naming the
 * queue, even under a restart strategy that would restart it (practically) forever. An unreachable
 * ZooKeeper is not among them (see ZkmqSourceErrorsITCase). With 'queue.await-timeout' a job waits
 * for its queue to be created.
 */
class ZkmqPermanentFailuresITCase {
    private static final Duration SETTLE = Duration.ofSeconds(90);

    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private final String ns = ZooKeeperExtension.freshNamespace();

    /**
     * Fixed-delay restarts, practically without end: only a restart-suppressing failure ends such a
     * job.
     */
    private static Configuration restartingForever() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        return conf;
    }

    private static StreamExecutionEnvironment env() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(restartingForever());
        env.setParallelism(1);
        return env;
    }

    private ZkmqSourceBuilder<String> source(String queue) {
        return ZkmqSource.<String>builder()
                .setZookeeper(ZK.connectString())
                .setNamespace(ns)
                .setQueues(queue)
                .setGroup("g")
                .setStartingPosition(StartingPosition.earliest())
                .setValueOnlyDeserializer(new SimpleStringSchema());
    }

    private ZkmqSinkBuilder<String> sink(String queue) {
        return ZkmqSink.<String>builder()
                .setZookeeper(ZK.connectString())
                .setNamespace(ns)
                .setQueue(queue)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setRecordSerializer(
                        ZkmqRecordSerializationSchema.<String>builder()
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build());
    }

    /** Asserts the job failed on its first attempt and returns its failure. */
    private static Throwable failedOnFirstAttempt(MiniCluster cluster, JobClient job)
            throws Exception {
        JobAttempts.State state = JobAttempts.whenSettled(cluster, job.getJobID(), SETTLE);
        if (!state.status().isGloballyTerminalState()) {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        assertThat(state)
                .as("failed once, never restarted")
                .isEqualTo(new JobAttempts.State(JobStatus.FAILED, 1, 0));
        return job.getJobExecutionResult().handle((r, e) -> e).get(60, TimeUnit.SECONDS);
    }

    @Test
    void aSourceOnAMissingQueueFailsTheJobOnceNamingTheQueue(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        StreamExecutionEnvironment env = env();
        env.fromSource(source("no-such-queue").build(), WatermarkStrategy.noWatermarks(), "zkmq")
                .sinkTo(new DiscardingSink<>());

        Throwable failure = failedOnFirstAttempt(cluster, env.executeAsync());
        assertThat(ExceptionUtils.findThrowable(failure, QueueNotFoundException.class))
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains(
                        "Queue 'no-such-queue' does not exist",
                        "namespace '" + ns + "'",
                        "queue.await-timeout");
    }

    @Test
    void aSinkOnAMissingQueueFailsTheJobOnceAfterTheAwaitTimeout(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        StreamExecutionEnvironment env = env();
        env.fromData("a", "b")
                .sinkTo(sink("no-such-queue").setQueueAwaitTimeout(Duration.ofMillis(500)).build());

        Throwable failure = failedOnFirstAttempt(cluster, env.executeAsync());
        assertThat(ExceptionUtils.findThrowable(failure, QueueNotFoundException.class))
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("Queue 'no-such-queue' does not exist", "after waiting 500 ms");
    }

    @Test
    void aSourceHittingACorruptBatchFailsTheJobOnceNamingTheBatch(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        ZkmqClient client = ZK.client(ns);
        String path = CorruptQueues.withSecondBatchCorrupt(client, "q");
        StreamExecutionEnvironment env = env();
        env.fromSource(
                        source("q").setBounded(StoppingPosition.latest()).build(),
                        WatermarkStrategy.noWatermarks(),
                        "zkmq")
                .sinkTo(new DiscardingSink<>());

        Throwable failure = failedOnFirstAttempt(cluster, env.executeAsync());
        assertThat(ExceptionUtils.findThrowable(failure, CorruptBatchException.class))
                .get()
                .extracting(Throwable::getMessage)
                .asString()
                .contains("queue 'q'", path);
    }

    @Test
    void aSqlQueryOnAMissingQueueFailsOnceNamingTheQueue(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        sql.getConfig().set("restart-strategy.type", "fixed-delay");
        sql.getConfig()
                .set("restart-strategy.fixed-delay.attempts", String.valueOf(Integer.MAX_VALUE));
        sql.getConfig().set("restart-strategy.fixed-delay.delay", "100ms");
        sql.executeSql(
                "CREATE TABLE missing (n INT) WITH ('connector' = 'zkmq', 'zookeeper' = '"
                        + ZK.connectString()
                        + "', 'zookeeper.namespace' = '"
                        + ns
                        + "', 'queue' = 'no-such-table-queue', 'group' = 'g',"
                        + " 'format' = 'json')");
        TableResult result = sql.executeSql("SELECT n FROM missing");

        Throwable failure = failedOnFirstAttempt(cluster, result.getJobClient().orElseThrow());
        assertThat(
                        ExceptionUtils.findThrowableWithMessage(
                                failure, "Queue 'no-such-table-queue' does not exist"))
                .isPresent();
    }

    @Test
    void aSourceWaitsForItsQueueToBeCreatedAndReadsIt(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        StreamExecutionEnvironment env = env();
        DataStream<String> read =
                env.fromSource(
                        source("late").setQueueAwaitTimeout(Duration.ofMinutes(2)).build(),
                        WatermarkStrategy.noWatermarks(),
                        "zkmq");
        CloseableIterator<String> values = read.collectAsync();
        JobClient job = env.executeAsync();
        JobID id = job.getJobID();
        Deadline.await(
                "the job running without the queue",
                SETTLE,
                () -> JobAttempts.of(cluster, id).status() == JobStatus.RUNNING);

        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue("late", QueueConfig.builder().partitions(2).build());
        try (ZkmqProducer producer = client.producer("late")) {
            for (int i = 0; i < 10; i++) {
                producer.send(Record.of("k" + i, "v" + i));
            }
            producer.flush();
        }

        List<String> got =
                CompletableFuture.supplyAsync(
                                () -> {
                                    List<String> out = new ArrayList<>();
                                    while (out.size() < 10 && values.hasNext()) {
                                        out.add(values.next());
                                    }
                                    return out;
                                })
                        .get(90, TimeUnit.SECONDS);
        assertThat(got)
                .containsExactlyInAnyOrder(
                        "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        assertThat(JobAttempts.of(cluster, id))
                .as("no failure on the way")
                .isEqualTo(new JobAttempts.State(JobStatus.RUNNING, 0, 0));
        job.cancel().get(60, TimeUnit.SECONDS);
        values.close();
    }

    @Test
    void aSinkWaitsForItsQueueToBeCreatedAndWritesIt(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        StreamExecutionEnvironment env = env();
        env.fromData("a", "b", "c")
                .sinkTo(sink("late-out").setQueueAwaitTimeout(Duration.ofMinutes(2)).build());
        JobClient job = env.executeAsync();
        Deadline.await(
                "the job running without the queue",
                SETTLE,
                () -> JobAttempts.of(cluster, job.getJobID()).status() == JobStatus.RUNNING);

        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue("late-out", QueueConfig.builder().partitions(1).build());

        job.getJobExecutionResult().get(90, TimeUnit.SECONDS);
        assertThat(QueueContents.readAll(client, "late-out", 1, 3))
                .extracting(QueueRecord::valueAsString)
                .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(JobAttempts.of(cluster, job.getJobID()))
                .isEqualTo(new JobAttempts.State(JobStatus.FINISHED, 0, 0));
    }

    @Test
    void theAwaitTimeoutMustNotBeNegative() {
        assertThatThrownBy(
                        () ->
                                ZkmqSource.<String>builder()
                                        .setQueueAwaitTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("queue await timeout");
        assertThatThrownBy(
                        () ->
                                ZkmqSink.<String>builder()
                                        .setQueueAwaitTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("queue await timeout");
        assertThat(
                        ZkmqSource.<String>builder()
                                .setProperties(
                                        java.util.Map.of(
                                                "zookeeper",
                                                "zk:2181",
                                                "queues",
                                                "a",
                                                "group",
                                                "g",
                                                "queue.await-timeout",
                                                "30 s"))
                                .setValueOnlyDeserializer(new SimpleStringSchema())
                                .build()
                                .config()
                                .queueAwaitTimeout())
                .isEqualTo(Duration.ofSeconds(30));
    }
}
