package io.zkmq.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/**
 * Job parameters: help, one-line errors with exit code 2 before anything starts, and parsed values.
 */
class JobParametersTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final int[] exit = {-1};

    private <T> Optional<T> parse(T command, String... args) {
        return JobParameters.parse(
                command,
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                exit);
    }

    private String errLine() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryParameterAndExitsZero() {
        assertThat(parse(new QueueToQueue(), "--help")).isEmpty();
        assertThat(exit[0]).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains(
                        "--zookeeper",
                        "--namespace",
                        "--input-queue",
                        "--output-queue",
                        "--group",
                        "--parallelism",
                        "--checkpoint-interval",
                        "--delivery-guarantee",
                        "--start",
                        "--fail-after");
    }

    @Test
    void versionPrintsAndExitsZero() {
        assertThat(parse(new GenerateToQueue(), "--version")).isEmpty();
        assertThat(exit[0]).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("GenerateToQueue ");
    }

    @Test
    void anUnknownParameterIsOneLineAndExitCodeTwo() {
        assertThat(
                        parse(
                                new GenerateToQueue(),
                                "--zookeeper",
                                "zk:2181",
                                "--queue",
                                "q",
                                "--colour",
                                "red"))
                .isEmpty();
        assertThat(exit[0]).isEqualTo(2);
        assertThat(errLine())
                .startsWith("GenerateToQueue: Unknown options: '--colour', 'red'")
                .endsWith("(see --help)" + System.lineSeparator())
                .hasLineCount(1);
    }

    @Test
    void malformedValuesAreNamed() {
        assertThat(
                        parse(
                                new QueueToQueue(),
                                "--zookeeper",
                                "zk:2181",
                                "--input-queue",
                                "a",
                                "--output-queue",
                                "b",
                                "--checkpoint-interval",
                                "soon"))
                .isEmpty();
        assertThat(exit[0]).isEqualTo(2);
        assertThat(errLine()).contains("'soon' is not a duration").hasLineCount(1);

        err.reset();
        assertThat(
                        parse(
                                new QueueToQueue(),
                                "--zookeeper",
                                "zk:2181",
                                "--input-queue",
                                "a",
                                "--output-queue",
                                "b",
                                "--delivery-guarantee",
                                "twice"))
                .isEmpty();
        assertThat(errLine()).contains("'twice' is not one of none, at-least-once, exactly-once");

        err.reset();
        assertThat(
                        parse(
                                new QueueToQueue(),
                                "--zookeeper",
                                "zk:2181",
                                "--input-queue",
                                "a",
                                "--output-queue",
                                "b",
                                "--start",
                                "yesterday"))
                .isEmpty();
        assertThat(errLine()).contains("--start must be earliest, latest or committed");
    }

    @Test
    void missingRequiredParametersAreNamed() {
        assertThat(parse(new QueueToStdout(), "--queue", "q")).isEmpty();
        assertThat(errLine()).contains("Missing --zookeeper");
        err.reset();
        assertThat(parse(new QueueToQueue(), "--zookeeper", "zk:2181")).isEmpty();
        assertThat(errLine()).contains("--input-queue").contains("--output-queue");
    }

    @Test
    void valuesAreParsed() {
        QueueToQueue job =
                parse(
                                new QueueToQueue(),
                                "--zookeeper",
                                "zk:2181",
                                "--namespace",
                                "prod",
                                "--input-queue",
                                "in",
                                "--output-queue",
                                "out",
                                "--parallelism",
                                "3",
                                "--checkpoint-interval",
                                "500ms",
                                "--delivery-guarantee",
                                "at-least-once",
                                "--start",
                                "earliest",
                                "--fail-after",
                                "10")
                        .orElseThrow();

        assertThat(job.connection.zookeeper).isEqualTo("zk:2181");
        assertThat(job.connection.namespace).isEqualTo("prod");
        assertThat(job.flink.parallelism).isEqualTo(3);
        assertThat(job.flink.checkpointInterval).isEqualTo(Duration.ofMillis(500));
        assertThat(job.guarantee).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(job.failAfter).isEqualTo(10);
        assertThat(exit[0]).isEqualTo(-1);
    }

    @Test
    void durationsUseTheCliSyntax() {
        for (String[] text :
                new String[][] {
                    {"1min", "PT1M"},
                    {"2m", "PT2M"},
                    {"2h", "PT2H"},
                    {"PT15S", "PT15S"},
                    {"10s", "PT10S"}
                }) {
            QueueToQueue job =
                    parse(
                                    new QueueToQueue(),
                                    "--zookeeper",
                                    "zk:2181",
                                    "--input-queue",
                                    "in",
                                    "--output-queue",
                                    "out",
                                    "--checkpoint-interval",
                                    text[0])
                            .orElseThrow();
            assertThat(job.flink.checkpointInterval).as(text[0]).isEqualTo(Duration.parse(text[1]));
        }
    }
}
