package io.zkmq.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.queue.QueueConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The example job jar on a real standalone Flink session cluster: ZooKeeper, the JobManager and the
 * TaskManager are separate JVM processes, the job is submitted with Flink's command-line client
 * ({@code flink run}), and the queues are created, filled and checked with the plain ZKMQ client.
 *
 * <p>Logs of every process are in {@code e2e-tests/target/e2e/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionClusterITCase {
    private static final int PARTITIONS = 4;
    private static final int PARALLELISM = 2;
    private static final int CUSTOMERS = 500;

    private static final Path WORK_DIR =
            Path.of(System.getProperty("zkmq.e2e.workDir", "target/e2e"));
    private static final Path FLINK_CLASSPATH =
            Path.of(
                    System.getProperty(
                            "zkmq.e2e.flinkClasspathFile", "target/flink-classpath.txt"));
    private static final Path JOB_JAR =
            Path.of(System.getProperty("zkmq.e2e.jobJar", "../examples/target/zkmq-examples.jar"));
    private static final Path CLI_JAR =
            Path.of(System.getProperty("zkmq.e2e.cliJar", "../zkmq-cli/target/zkmq.jar"));

    private static ZooKeeperServer zookeeper;
    private static FlinkSessionCluster flink;
    private static ZkmqClient client;

    @BeforeAll
    static void startZooKeeperAndFlink() throws IOException {
        assertThat(JOB_JAR).as("the example job jar (mvn package in examples)").isRegularFile();
        assertThat(CLI_JAR)
                .as("the zkmq command-line jar (mvn package in zkmq-cli)")
                .isRegularFile();
        deleteRecursively(WORK_DIR);
        Files.createDirectories(WORK_DIR);
        zookeeper = ZooKeeperServer.start(CLI_JAR, WORK_DIR);
        flink = FlinkSessionCluster.start(FLINK_CLASSPATH, WORK_DIR, PARALLELISM);
        client = ZkmqClient.connect(ZkmqClientOptions.builder(zookeeper.connectString()).build());
    }

    @AfterAll
    static void stopEverything() {
        if (client != null) {
            client.close();
        }
        if (flink != null) {
            flink.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    @Order(1)
    void boundedJobSubmittedWithFlinkRunWritesOneRunningTotalPerInputEventInOrder() {
        flink.awaitFreeSlots(PARALLELISM);
        long events = 30_000;
        Queues queues = createQueues();
        Purchases.produce(client, queues.input, events, CUSTOMERS);
        assertThat(Purchases.committed(client, queues.input, PARTITIONS)).isEqualTo(events);

        String job =
                flink.submit(
                        JOB_JAR, queues.jobArgs("--bounded", "--checkpoint-interval", "500ms"));
        flink.awaitJobState(job, "FINISHED", Duration.ofSeconds(120));

        assertThat(Purchases.checkExactlyOnce(client, queues.output, PARTITIONS, events))
                .as("problems in the output of the finished job")
                .isEmpty();
    }

    @Test
    @Order(2)
    void jobRecoversOnANewTaskManagerAfterItsTaskManagerIsKilledWithoutLosingOrDuplicatingOutput() {
        flink.awaitFreeSlots(PARALLELISM);
        long events = 12_000;
        Queues queues = createQueues();
        Purchases.produce(client, queues.input, events, CUSTOMERS);

        // Unbounded and paced (about 20 s for the whole input), so that the job is still in the
        // middle of the
        // input when its TaskManager dies.
        String job =
                flink.submit(
                        JOB_JAR, queues.jobArgs("--rate", "600", "--checkpoint-interval", "500ms"));
        flink.awaitJobState(job, "RUNNING", Duration.ofSeconds(60));
        long beforeKill =
                Poll.until(
                        "a fifth of the output to be committed",
                        Duration.ofSeconds(90),
                        () -> {
                            long committed = Purchases.committed(client, queues.output, PARTITIONS);
                            return committed >= events / 5
                                    ? Optional.of(committed)
                                    : Optional.empty();
                        },
                        () -> flink.diagnostics(job));
        assertThat(beforeKill)
                .as("output committed when the TaskManager is killed: the job must be mid-way")
                .isLessThan(events);
        assertThat(flink.jobState(job)).isEqualTo("RUNNING");

        ChildProcess killed = flink.taskManager();
        long killedAt = System.currentTimeMillis();
        assertThat(killed.kill())
                .as("exit code of the TaskManager after SIGKILL")
                .isEqualTo(128 + 9);
        ChildProcess replacement = flink.startTaskManager();
        System.out.printf(
                "Killed %s (pid %d) with SIGKILL at %d of %d output records; started %s%n",
                killed.name(), killed.pid(), beforeKill, events, replacement.name());

        Poll.until(
                "all " + events + " output records to be committed after the recovery",
                Duration.ofSeconds(150),
                () -> {
                    long committed = Purchases.committed(client, queues.output, PARTITIONS);
                    assertThat(committed)
                            .as("committed output records (more than the input means duplicates)")
                            .isLessThanOrEqualTo(events);
                    return committed == events;
                },
                () -> flink.diagnostics(job));
        assertThat(flink.lastRestart(job))
                .as("when the job last restarted (it must have, after the kill)")
                .isGreaterThanOrEqualTo(killedAt);
        assertThat(replacement.isAlive()).isTrue();
        System.out.printf(
                "All %d output records committed %.1f s after the kill%n",
                events, (System.currentTimeMillis() - killedAt) / 1000.0);

        flink.cancel(job);
        flink.awaitJobState(job, "CANCELED", Duration.ofSeconds(60));
        assertThat(Purchases.committed(client, queues.output, PARTITIONS)).isEqualTo(events);
        assertThat(Purchases.checkExactlyOnce(client, queues.output, PARTITIONS, events))
                .as("problems in the output of the job that recovered from the killed TaskManager")
                .isEmpty();
    }

    private Queues createQueues() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Queues queues = new Queues("purchases-" + run, "totals-" + run, "e2e-" + run);
        client.admin()
                .createQueue(queues.input, QueueConfig.builder().partitions(PARTITIONS).build());
        client.admin()
                .createQueue(queues.output, QueueConfig.builder().partitions(PARTITIONS).build());
        return queues;
    }

    /** An input queue, an output queue and the job's consumer group, new for each test. */
    private record Queues(String input, String output, String group) {
        /** QueueToQueue's parameters, exactly once from the earliest input, plus {@code extra}. */
        List<String> jobArgs(String... extra) {
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    "--zookeeper",
                                    zookeeper.connectString(),
                                    "--input-queue",
                                    input,
                                    "--output-queue",
                                    output,
                                    "--group",
                                    group,
                                    "--start",
                                    "earliest",
                                    "--delivery-guarantee",
                                    "exactly-once",
                                    "--parallelism",
                                    Integer.toString(PARALLELISM)));
            args.addAll(List.of(extra));
            return args;
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
