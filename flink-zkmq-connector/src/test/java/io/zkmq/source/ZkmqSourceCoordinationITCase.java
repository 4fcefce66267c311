package io.zkmq.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.coordination.PartitionOwnership;
import io.zkmq.error.FencedException;
import io.zkmq.error.OwnershipTimeoutException;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ThreadDump;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The group's partition locks and fencing as Flink jobs see them, and discovery and bounded reads,
 * on a MiniCluster against a real ZooKeeper server.
 */
class ZkmqSourceCoordinationITCase {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(6)
                            .build());

    private final String ns = ZooKeeperExtension.freshNamespace();
    private final ZkmqClient client = ZK.client(ns);

    private ZkmqSourceBuilder<String> source(String queue, String group) {
        return ZkmqSource.<String>builder()
                .setZookeeper(ZK.connectString())
                .setNamespace(ns)
                .setQueues(queue)
                .setGroup(group)
                .setDeserializer(new RecordDescribingSchema());
    }

    private static StreamExecutionEnvironment env(int parallelism, long checkpointMillis) {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        if (checkpointMillis > 0) {
            env.enableCheckpointing(checkpointMillis);
        }
        return env;
    }

    private static JobClient start(
            StreamExecutionEnvironment env, ZkmqSource<String> source, String sinkKey)
            throws Exception {
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "zkmq")
                .sinkTo(new CollectingSink(sinkKey));
        return env.executeAsync(sinkKey);
    }

    private static String key() {
        return "k" + UUID.randomUUID();
    }

    @Test
    void aSecondJobInTheSameGroupWaitsFailsClearlyAndProceedsOnceTheFirstStops() throws Exception {
        SourceTesting.createQueue(client, "shared", 2);
        SourceTesting.produce(client, "shared", "a", 1_000, 20);
        String outA = key();
        JobClient jobA =
                start(
                        env(1, 300),
                        source("shared", "g")
                                .setStartingPosition(StartingPosition.earliest())
                                .build(),
                        outA);
        Deadline.await(
                "job A reads the first 1000 records",
                Duration.ofSeconds(60),
                () -> CollectingSink.results(outA).size() >= 1_000);

        // A second job with a short lock timeout fails, naming job A as the holder.
        JobClient impatient =
                start(
                        env(1, 0),
                        source("shared", "g").setLockTimeout(Duration.ofSeconds(2)).build(),
                        key());
        Throwable failure;
        try {
            failure =
                    impatient.getJobExecutionResult().handle((r, e) -> e).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "The impatient job did not end within 60 s; its status: "
                            + impatient.getJobStatus().get(10, TimeUnit.SECONDS)
                            + "\n"
                            + ThreadDump.ofAllThreads(),
                    e);
        }
        Optional<OwnershipTimeoutException> timeout =
                ExceptionUtils.findThrowable(failure, OwnershipTimeoutException.class);
        assertThat(timeout).as("failure %s", failure).isPresent();
        assertThat(timeout.get().getMessage())
                .contains("held by owner 'job-" + jobA.getJobID() + "'")
                .contains("group 'g'");

        // A patient one waits while A reads on...
        String outB = key();
        JobClient jobB =
                start(
                        env(1, 300),
                        source("shared", "g").setLockTimeout(Duration.ofSeconds(60)).build(),
                        outB);
        Deadline.await(
                "job B running",
                Duration.ofSeconds(60),
                () -> jobB.getJobStatus().join() == org.apache.flink.api.common.JobStatus.RUNNING);
        SourceTesting.produce(client, "shared", "b", 500, 20);
        Deadline.await(
                "job A reads the next 500 records",
                Duration.ofSeconds(60),
                () -> CollectingSink.results(outA).size() >= 1_500);
        assertThat(CollectingSink.results(outB))
                .as("job B reads nothing while job A runs")
                .isEmpty();
        for (int p = 0; p < 2; p++) {
            assertThat(client.admin().readOwner("shared", "g", p))
                    .as("owner of partition %d", p)
                    .hasValueSatisfying(
                            o -> assertThat(o.ownerId()).isEqualTo("job-" + jobA.getJobID()));
        }

        // ...and proceeds once A stops, from the offsets A committed.
        jobA.cancel().get(60, TimeUnit.SECONDS);
        List<String> later = SourceTesting.produce(client, "shared", "c", 300, 20);
        Deadline.await(
                "job B reads what was written after A stopped",
                Duration.ofSeconds(60),
                () ->
                        CollectingSink.values(outB).stream().filter(v -> v.contains("/c-")).count()
                                == 300);
        assertThat(
                        CollectingSink.values(outB).stream()
                                .map(v -> v.substring(v.lastIndexOf('/') + 1))
                                .filter(v -> v.startsWith("c-")))
                .containsExactlyInAnyOrderElementsOf(later);
        assertThat(CollectingSink.values(outB).stream().filter(v -> v.contains("/a-")))
                .as("B starts from A's committed offsets, not from the beginning")
                .isEmpty();
        jobB.cancel().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aZombieReadersCommitIsRejectedAfterAnotherReaderTookThePartitionOver() throws Exception {
        SourceTesting.createQueue(client, "fenced", 1);
        SourceTesting.produce(client, "fenced", "z", 100, 5);
        String out = key();
        JobClient zombie =
                start(
                        env(1, 200),
                        source("fenced", "g")
                                .setOwnerId("fenced-owner")
                                .setStartingPosition(StartingPosition.earliest())
                                .build(),
                        out);
        Deadline.await(
                "the job reads and commits 100",
                Duration.ofSeconds(60),
                () ->
                        CollectingSink.results(out).size() == 100
                                && client.admin()
                                        .readCommitted("fenced", "g", 0)
                                        .map(c -> c.position().offset() == 100)
                                        .orElse(false));

        // Another reader (its own ZooKeeper session, same owner id) takes the partition over.
        try (ZkmqClient other = ZkmqClient.connect(ZK.options(ns).build())) {
            PartitionOwnership.Attempt takeover =
                    new PartitionOwnership(other.curator(), new QueuePartition("fenced", 0), "g")
                            .tryTake("fenced-owner");
            assertThat(takeover.taken()).isTrue();
            SourceTesting.produce(client, "fenced", "late", 50, 5);

            Throwable failure =
                    zombie.getJobExecutionResult().handle((r, e) -> e).get(60, TimeUnit.SECONDS);
            // The cause may arrive as Flink's SerializedThrowable: match the FencedException by its
            // message.
            Optional<Throwable> fenced =
                    ExceptionUtils.findThrowableWithMessage(failure, "was taken over since");
            assertThat(fenced).as("failure %s", failure).isPresent();
            assertThat(fenced.get().toString())
                    .contains(FencedException.class.getName())
                    .contains("partition 0")
                    .contains("rejected");
            assertThat(client.admin().readCommitted("fenced", "g", 0).get().position().offset())
                    .as("the zombie's commit never landed")
                    .isEqualTo(100);
        }
    }

    @Test
    void aPartitionAddedWhileTheJobRunsIsReadWithinSeconds() throws Exception {
        SourceTesting.createQueue(client, "growing", 2);
        SourceTesting.produce(client, "growing", "old", 100, 10);
        String out = key();
        JobClient job =
                start(
                        env(2, 0),
                        source("growing", "g")
                                .setStartingPosition(StartingPosition.earliest())
                                .build(),
                        out);
        Deadline.await(
                "the first 100 records",
                Duration.ofSeconds(60),
                () -> CollectingSink.results(out).size() >= 100);
        // The test's own producer joined the queue's maintenance election; the job's enumerator
        // joins too.
        Deadline.await(
                "the job in the maintenance election",
                Duration.ofSeconds(10),
                () -> {
                    try {
                        return client.curator()
                                        .getChildren()
                                        .forPath(io.zkmq.queue.ZkmqPaths.maintenance("growing"))
                                        .size()
                                >= 2;
                    } catch (Exception e) {
                        return false;
                    }
                });

        client.admin().addPartitions("growing", 3);
        try (ZkmqProducer producer = client.producer("growing")) {
            for (int i = 0; i < 10; i++) {
                producer.send(
                                2,
                                new Record(
                                        null,
                                        ("new-" + i).getBytes(StandardCharsets.UTF_8),
                                        List.of(),
                                        i))
                        .get();
            }
        }
        // No discovery interval: the config watch tells the enumerator (typically well under a
        // second; the
        // deadline leaves room for a loaded CI machine).
        Deadline.await(
                "records of the new partition 2",
                Duration.ofSeconds(15),
                () ->
                        CollectingSink.values(out).stream()
                                        .filter(v -> v.startsWith("growing/2/"))
                                        .count()
                                == 10);
        assertThat(CollectingSink.values(out)).hasSize(110).doesNotHaveDuplicates();
        job.cancel().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aQueueCreatedWhileTheJobRunsIsReadWhenItMatchesThePattern() throws Exception {
        SourceTesting.createQueue(client, "events-a", 1);
        SourceTesting.createQueue(client, "other", 1);
        SourceTesting.produce(client, "events-a", "a", 10, 2);
        SourceTesting.produce(client, "other", "o", 10, 2);
        String out = key();
        ZkmqSource<String> source =
                ZkmqSource.<String>builder()
                        .setZookeeper(ZK.connectString())
                        .setNamespace(ns)
                        .setQueuePattern("events-.*")
                        .setGroup("g")
                        .setStartingPosition(StartingPosition.earliest())
                        .setDeserializer(new RecordDescribingSchema())
                        .build();
        JobClient job = start(env(2, 0), source, out);
        Deadline.await(
                "records of events-a",
                Duration.ofSeconds(60),
                () -> CollectingSink.results(out).size() >= 10);

        SourceTesting.createQueue(client, "events-b", 2);
        SourceTesting.produce(client, "events-b", "b", 20, 4);
        Deadline.await(
                "records of the new queue events-b",
                Duration.ofSeconds(30),
                () ->
                        CollectingSink.values(out).stream()
                                        .filter(v -> v.startsWith("events-b/"))
                                        .count()
                                == 20);
        assertThat(CollectingSink.values(out)).hasSize(30).noneMatch(v -> v.startsWith("other/"));
        job.cancel().get(60, TimeUnit.SECONDS);
    }

    @Test
    void aBoundedJobStopsAtTheGivenOffsetsAndAtTheStartHeadElsewhere() throws Exception {
        SourceTesting.createQueue(client, "bounded", 3);
        try (ZkmqProducer producer = client.producer("bounded")) {
            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                for (int i = 0; i < 100; i++) {
                    acks.add(
                            producer.send(
                                    p,
                                    new Record(
                                            null,
                                            ("v" + i).getBytes(StandardCharsets.UTF_8),
                                            List.of(),
                                            i)));
                }
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
        }
        ZkmqSource<String> source =
                source("bounded", "g")
                        .setStartingPosition(StartingPosition.earliest())
                        .setBounded(
                                StoppingPosition.offsets(
                                        Map.of(
                                                new QueuePartition("bounded", 0),
                                                10L,
                                                new QueuePartition("bounded", 1),
                                                0L)))
                        .build();
        StreamExecutionEnvironment env = env(2, 0);
        List<String> read = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "b").executeAndCollect()) {
            it.forEachRemaining(read::add);
        }
        assertThat(read.stream().filter(v -> v.startsWith("bounded/0/")))
                .hasSize(10)
                .allSatisfy(v -> assertThat(Long.parseLong(v.split("/")[2])).isLessThan(10));
        assertThat(read.stream().filter(v -> v.startsWith("bounded/1/"))).isEmpty();
        assertThat(read.stream().filter(v -> v.startsWith("bounded/2/")))
                .hasSize(100)
                .doesNotHaveDuplicates();
    }
}
