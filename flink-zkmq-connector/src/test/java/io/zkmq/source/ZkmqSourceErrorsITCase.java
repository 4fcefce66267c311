package io.zkmq.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.ZkmqClient;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input and vanishing queues give clear errors or clean ends, never silence or a hang. */
class ZkmqSourceErrorsITCase {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private final String ns = ZooKeeperExtension.freshNamespace();

    private static Throwable failureOf(ZkmqSourceBuilder<String> builder) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "zkmq")
                .sinkTo(new CollectingSink("e" + UUID.randomUUID()));
        JobClient job = env.executeAsync();
        return job.getJobExecutionResult().handle((r, e) -> e).get(60, TimeUnit.SECONDS);
    }

    private ZkmqSourceBuilder<String> builder(String connect, String... queues) {
        return ZkmqSource.<String>builder()
                .setZookeeper(connect)
                .setNamespace(ns)
                .setQueues(queues)
                .setGroup("g")
                .setConnectionTimeout(Duration.ofSeconds(2))
                .setValueOnlyDeserializer(new SimpleStringSchema());
    }

    @Test
    void aMissingQueueFailsTheJobNamingTheQueue() throws Exception {
        Throwable failure = failureOf(builder(ZK.connectString(), "no-such-queue"));
        assertThat(failure).as("the job must fail").isNotNull();
        assertThat(
                        ExceptionUtils.findThrowableWithMessage(
                                failure, "Queue 'no-such-queue' does not exist"))
                .isPresent();
    }

    /** Rejects every tenth value, as a failing user function chained after the source. */
    private static String rejectEveryTenth(String value) {
        if (Integer.parseInt(value.substring(value.lastIndexOf('-') + 1)) % 10 == 9) {
            throw new IllegalStateException("downstream map rejects " + value);
        }
        return value;
    }

    @ParameterizedTest(name = "skip-errors {0}")
    @ValueSource(booleans = {true, false})
    void aFailingChainedOperatorFailsTheJobWithItsOwnExceptionWhateverSkipErrorsSays(
            boolean skipErrors) throws Exception {
        ZkmqClient client = ZK.client(ns);
        SourceTesting.createQueue(client, "numbers", 1);
        SourceTesting.produce(client, "numbers", "v", 100, 1);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        String out = "m" + UUID.randomUUID();
        env.fromSource(
                        builder(ZK.connectString(), "numbers")
                                .setStartingPosition(StartingPosition.earliest())
                                .setBounded(StoppingPosition.latest())
                                .setSkipDeserializationErrors(skipErrors)
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "zkmq")
                .map(
                        ZkmqSourceErrorsITCase
                                ::rejectEveryTenth) // chained: runs inside the source's emit call
                .sinkTo(new CollectingSink(out));
        Throwable failure =
                env.executeAsync()
                        .getJobExecutionResult()
                        .handle((r, e) -> e)
                        .get(60, TimeUnit.SECONDS);

        assertThat(failure)
                .as("the map's failure must fail the job, not be skipped as a bad record")
                .isNotNull();
        assertThat(ExceptionUtils.findThrowableWithMessage(failure, "downstream map rejects v-9"))
                .get()
                .isExactlyInstanceOf(IllegalStateException.class);
        assertThat(ExceptionUtils.findThrowableWithMessage(failure, "Cannot deserialize"))
                .as("not reported as a deserialization error")
                .isEmpty();
        assertThat(CollectingSink.values(out)).as("nothing after the failing record").hasSize(9);
    }

    @Test
    void anUnreachableZooKeeperFailsTheJobWithinTheConnectionTimeout() throws Exception {
        String nowhere = "127.0.0.1:" + InstanceSpec.getRandomPort();
        long start = System.nanoTime();
        Throwable failure = failureOf(builder(nowhere, "orders"));
        assertThat(failure).as("the job must fail").isNotNull();
        assertThat(
                        ExceptionUtils.findThrowableWithMessage(
                                failure, "Could not connect to ZooKeeper at '" + nowhere + "'"))
                .isPresent();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
    }

    @Test
    void builderRejectsIncompleteConfigurationSayingWhatToSet() {
        assertThatThrownBy(
                        () ->
                                ZkmqSource.<String>builder()
                                        .setQueues("q")
                                        .setGroup("g")
                                        .setValueOnlyDeserializer(new SimpleStringSchema())
                                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("setZookeeper");
        assertThatThrownBy(
                        () ->
                                ZkmqSource.<String>builder()
                                        .setZookeeper("h:1")
                                        .setQueues("q")
                                        .setValueOnlyDeserializer(new SimpleStringSchema())
                                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("setGroup");
        assertThatThrownBy(
                        () ->
                                ZkmqSource.<String>builder()
                                        .setZookeeper("h:1")
                                        .setGroup("g")
                                        .setValueOnlyDeserializer(new SimpleStringSchema())
                                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("No queues");
        assertThatThrownBy(
                        () ->
                                ZkmqSource.<String>builder()
                                        .setZookeeper("h:1")
                                        .setGroup("g")
                                        .setQueues("q")
                                        .build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("deserializer");
        assertThatThrownBy(() -> ZkmqSource.<String>builder().setQueuePattern("(unclosed"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Invalid queue pattern");
        assertThatThrownBy(() -> ZkmqSource.<String>builder().setQueues("bad/name"))
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void optionsFromJobParametersConfigureTheSource() {
        ZkmqSource<String> source =
                ZkmqSource.<String>builder()
                        .setProperties(
                                java.util.Map.of(
                                        "zookeeper",
                                        "zk:2181",
                                        "queues",
                                        "b,a",
                                        "group",
                                        "g",
                                        "scan.startup.mode",
                                        "committed-or-latest",
                                        "scan.bounded.mode",
                                        "latest",
                                        "lock.timeout",
                                        "5 s"))
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();
        assertThat(source.config().queues()).containsExactly("a", "b");
        assertThat(source.config().start())
                .isEqualTo(StartingPosition.committed(StartingPosition.latest()));
        assertThat(source.getBoundedness())
                .isEqualTo(org.apache.flink.api.connector.source.Boundedness.BOUNDED);
        assertThat(source.config().lockTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aDeletedQueueEndsItsSplitsAndTheJobReadsTheOthersAndAQueueRecreatedUnderTheSameName()
            throws Exception {
        ZkmqClient client = ZK.client(ns);
        SourceTesting.createQueue(client, "stays", 1);
        SourceTesting.createQueue(client, "goes", 2);
        SourceTesting.produce(client, "goes", "g1", 20, 4);
        String out = "d" + UUID.randomUUID();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSource(
                        builder(ZK.connectString(), "stays", "goes")
                                .setStartingPosition(StartingPosition.earliest())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "zkmq")
                .sinkTo(new CollectingSink(out));
        JobClient job = env.executeAsync();
        Deadline.await(
                "records of 'goes'",
                Duration.ofSeconds(60),
                () -> CollectingSink.values(out).size() == 20);

        client.admin().deleteQueue("goes");
        SourceTesting.produce(client, "stays", "s", 10, 2);
        Deadline.await(
                "records of 'stays' after the deletion",
                Duration.ofSeconds(30),
                () ->
                        CollectingSink.values(out).stream().filter(v -> v.startsWith("s-")).count()
                                == 10);

        SourceTesting.createQueue(client, "goes", 1);
        SourceTesting.produce(client, "goes", "g2", 5, 1);
        Deadline.await(
                "records of the re-created 'goes'",
                Duration.ofSeconds(30),
                () ->
                        CollectingSink.values(out).stream().filter(v -> v.startsWith("g2-")).count()
                                == 5);
        assertThat(job.getJobStatus().get())
                .isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
        job.cancel().get(60, TimeUnit.SECONDS);
    }
}
