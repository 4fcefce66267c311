package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code produce} while its ZooKeeper server is stopped: the report says which lines to resend. */
class ProduceOutageReportTest {
    private TestingServer server;
    private String namespace;

    @BeforeEach
    void startServer() throws Exception {
        server = new TestingServer(InstanceSpec.getRandomPort(), true);
        namespace = "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void theReportNamesTheLinesAcknowledgedInOrderTheLinesNotWrittenAndTheUnknownOnes()
            throws Exception {
        Cli cli = Cli.against(server.getConnectString(), namespace);
        cli.run("queue", "create", "q", "--partitions", "1");
        PipedOutputStream stdin = new PipedOutputStream();
        PipedInputStream pipe = new PipedInputStream(stdin, 1 << 20);
        CompletableFuture<Cli.Result> produce =
                CompletableFuture.supplyAsync(
                        () ->
                                cli.runWithInput(
                                        pipe,
                                        "--connect-timeout",
                                        "2s",
                                        "produce",
                                        "q",
                                        "--delivery-timeout",
                                        "2s"));

        stdin.write(lines(1, 100).getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        try (ZkmqClient client = connect()) {
            Deadline.await(
                    "lines 1-100 are stored",
                    Duration.ofSeconds(30),
                    () -> client.admin().readHead("q", 0).nextOffset() == 100);
        }
        server.stop();
        stdin.write(lines(101, 200).getBytes(StandardCharsets.UTF_8));
        stdin.close();
        Cli.Result r = produce.get(60, TimeUnit.SECONDS);
        server.restart();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<String> err = r.errLines();
        assertThat(err).as(r.toString()).hasSize(5);
        assertThat(err.get(0)).isEqualTo("Produced 100 records to q");
        assertThat(err.get(1)).isEqualTo("Acknowledged in order: lines 1-100");
        assertThat(err.get(2)).startsWith("Not written (safe to resend): ");
        assertThat(err.get(3))
                .startsWith("Outcome unknown (may be stored; resending may duplicate): ");
        Set<Integer> notWritten =
                parseRanges(err.get(2).substring("Not written (safe to resend): ".length()));
        Set<Integer> unknown =
                parseRanges(
                        err.get(3)
                                .substring(
                                        "Outcome unknown (may be stored; resending may duplicate): "
                                                .length()));
        assertThat(notWritten)
                .as("not written and unknown are disjoint")
                .noneMatch(unknown::contains);
        Set<Integer> failed = new TreeSet<>(notWritten);
        failed.addAll(unknown);
        assertThat(failed)
                .as("every line sent during the outage is reported")
                .isEqualTo(range(101, 200));
        assertThat(err.get(4))
                .startsWith(
                        "zkmq: error: 100 of 200 records were not acknowledged by queue 'q' ("
                                + notWritten.size()
                                + " not written, "
                                + unknown.size()
                                + " with unknown outcome); the first, from line 101: ");

        Cli.Result consumed = cli.run("consume", "q", "--from", "earliest", "--timeout", "3s");
        Map<Integer, Integer> copies = new HashMap<>();
        consumed.outLines()
                .forEach(
                        line ->
                                copies.merge(
                                        Integer.parseInt(line.substring("line-".length())),
                                        1,
                                        Integer::sum));
        assertThat(copies.values()).as("no line stored twice").containsOnly(1);
        assertThat(copies.keySet()).as("acknowledged lines are stored").containsAll(range(1, 100));
        assertThat(notWritten)
                .as("lines reported not written are not stored")
                .noneMatch(copies::containsKey);
    }

    private ZkmqClient connect() {
        return ZkmqClient.connect(
                ZkmqClientOptions.builder(server.getConnectString()).namespace(namespace).build());
    }

    private static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .mapToObj(i -> "line-" + i + "\n")
                .collect(Collectors.joining());
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to)
                .boxed()
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** "line 3", "lines 3-7, 9" or "none". */
    private static Set<Integer> parseRanges(String text) {
        Set<Integer> out = new TreeSet<>();
        if (text.equals("none")) {
            return out;
        }
        assertThat(text).matches("lines? .*");
        for (String part : text.substring(text.indexOf(' ') + 1).split(", ")) {
            String[] bounds = part.split("-");
            out.addAll(
                    range(
                            Integer.parseInt(bounds[0]),
                            Integer.parseInt(bounds[bounds.length - 1])));
        }
        return out;
    }
}
