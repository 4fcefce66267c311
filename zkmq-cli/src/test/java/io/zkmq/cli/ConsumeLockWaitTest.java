package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A group consumer killed with SIGKILL keeps its partition locks until its ZooKeeper session
 * expires; the next {@code consume --group} says so and fails rather than reporting 0 records.
 */
class ConsumeLockWaitTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    private static void produce(Cli cli, int from, int to) {
        String lines =
                IntStream.range(from, to).mapToObj(i -> "v" + i).collect(Collectors.joining("\n"));
        Cli.Result r = cli.runWithInput(lines, "produce", "orders");
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void aConsumerWaitingForAKilledOwnersLocksNamesItAndFailsWhenItNeverGetsThem()
            throws Exception {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "2");
        produce(cli, 0, 10);
        File out = File.createTempFile("zkmq-killed", ".out");
        File err = File.createTempFile("zkmq-killed", ".err");
        Process killed =
                CliProcess.start(
                        Map.of(),
                        out,
                        err,
                        "--zookeeper",
                        ZK.connectString(),
                        "--namespace",
                        cli.namespace(),
                        "consume",
                        "orders",
                        "--group",
                        "g",
                        "--follow");
        try {
            Deadline.await(
                    "the first consumer printed all 10 records",
                    Duration.ofSeconds(60),
                    () -> lines(out) >= 10);
        } finally {
            killed.destroyForcibly(); // SIGKILL: its session stays open until it expires
            killed.waitFor(10, TimeUnit.SECONDS);
            out.delete();
            err.delete();
        }
        produce(cli, 10, 15);

        Cli.Result r = cli.run("consume", "orders", "--group", "g", "--timeout", "4s");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .as(r.toString())
                .containsPattern(
                        "Waiting for partitions 0, 1 of group 'g': held by owner '[^']+' \\(session"
                                + " 0x[0-9a-f]+\\); if that consumer was killed, ZooKeeper releases"
                                + " them when its session expires, by \\d\\d:\\d\\d:\\d\\d at the"
                                + " latest \\(session timeout \\d+s\\)")
                .contains("Consumed 0 records from orders")
                .containsPattern(
                        "(?m)^zkmq: error: Partitions 0, 1 of group 'g' were never acquired within"
                                + " --timeout 4s: held by owner '");
    }

    private static long lines(File f) {
        try {
            return Files.readString(f.toPath(), StandardCharsets.UTF_8).lines().count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
