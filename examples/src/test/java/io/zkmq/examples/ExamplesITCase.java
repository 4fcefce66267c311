package io.zkmq.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.queue.QueueConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.curator.test.TestingServer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example jobs on a local Flink environment against a real ZooKeeper server. */
class ExamplesITCase {
    private static TestingServer zookeeper;

    @BeforeAll
    static void start() throws Exception {
        zookeeper = new TestingServer(true);
    }

    @AfterAll
    static void stop() throws Exception {
        zookeeper.close();
    }

    @Test
    void theDemoRunsThePipelineThroughTheInjectedFailureAndVerifiesExactlyOnce() {
        ExactlyOnceDemo demo =
                JobParameters.parse(
                                new ExactlyOnceDemo(),
                                new String[] {
                                    "--zookeeper",
                                    zookeeper.getConnectString(),
                                    "--records",
                                    "6000",
                                    "--customers",
                                    "50",
                                    "--rate",
                                    "3000",
                                    "--checkpoint-interval",
                                    "300ms"
                                },
                                System.out,
                                System.err,
                                new int[1])
                        .orElseThrow();
        String out = captureStdout(() -> assertThat(demo.run()).isTrue());

        assertThat(out)
                .contains("!! injected failure in subtask 0")
                .contains("VERIFIED 6000 input records -> 6000 output records, exactly once");
    }

    @Test
    void generateToQueueWritesTheRequestedNumberOfEvents() throws Exception {
        GenerateToQueue job =
                JobParameters.parse(
                                new GenerateToQueue(),
                                new String[] {
                                    "--zookeeper",
                                    zookeeper.getConnectString(),
                                    "--queue",
                                    "generated",
                                    "--partitions",
                                    "3",
                                    "--records",
                                    "2500",
                                    "--delivery-guarantee",
                                    "exactly-once"
                                },
                                System.out,
                                System.err,
                                new int[1])
                        .orElseThrow();
        job.createQueueIfMissing();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job.addTo(env);
        env.execute();

        try (ZkmqClient client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(zookeeper.getConnectString()).build())) {
            assertThat(client.admin().readConfig("generated").config().partitions()).isEqualTo(3);
            long total = 0;
            for (int p = 0; p < 3; p++) {
                total += client.admin().readHead("generated", p).nextOffset();
            }
            assertThat(total).isEqualTo(2500);
        }
    }

    @Test
    void queueToStdoutPrintsABoundedQueue() throws Exception {
        try (ZkmqClient client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(zookeeper.getConnectString()).build())) {
            client.admin().createQueue("printed", QueueConfig.builder().partitions(1).build());
            try (var producer = client.producer("printed")) {
                producer.send(io.zkmq.queue.Record.of("k", "first"));
                producer.send(io.zkmq.queue.Record.of("k", "second"));
                producer.flush();
            }
        }
        QueueToStdout job =
                JobParameters.parse(
                                new QueueToStdout(),
                                new String[] {
                                    "--zookeeper",
                                    zookeeper.getConnectString(),
                                    "--queue",
                                    "printed",
                                    "--bounded",
                                    "--parallelism",
                                    "1"
                                },
                                System.out,
                                System.err,
                                new int[1])
                        .orElseThrow();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job.addTo(env);
        String out =
                captureStdout(
                        () -> {
                            try {
                                env.execute();
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                        });

        assertThat(out.lines().filter(l -> l.contains("0@")).toList())
                .containsExactly("0@0 k first", "0@1 k second");
    }

    @Test
    void theSqlPipelineCopiesTheLargePurchasesExactlyOnce() throws Exception {
        SqlPipeline pipeline =
                JobParameters.parse(
                                new SqlPipeline(),
                                new String[] {
                                    "--zookeeper", zookeeper.getConnectString(), "--records", "3000"
                                },
                                System.out,
                                System.err,
                                new int[1])
                        .orElseThrow();
        boolean[] ok = new boolean[1];
        String out =
                captureStdout(
                        () -> {
                            try {
                                ok[0] = pipeline.run();
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                        });
        assertThat(ok[0]).as(out).isTrue();
        assertThat(out).contains("VERIFIED").contains("copied by SQL, exactly once");
    }

    @Test
    void helloWorldSendsAndReceivesAMessage() {
        HelloZkmq hello =
                JobParameters.parse(
                                new HelloZkmq(),
                                new String[] {
                                    "--zookeeper",
                                    zookeeper.getConnectString(),
                                    "--message",
                                    "hi there"
                                },
                                System.out,
                                System.err,
                                new int[1])
                        .orElseThrow();
        List<String> received = hello.run();
        assertThat(received).contains("hi there");
    }

    private static String captureStdout(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            action.run();
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }
}
