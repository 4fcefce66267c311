package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GroupCommandsTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    private static Cli queueWith(int records) {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "3");
        String lines =
                IntStream.range(0, records)
                        .mapToObj(i -> "k" + i + ":v" + i)
                        .collect(Collectors.joining("\n"));
        Cli.Result produced = cli.runWithInput(lines, "produce", "orders", "--key-separator", ":");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        return cli;
    }

    @Test
    void aGroupConsumeCommitsEverythingItPrinted() {
        Cli cli = queueWith(60);

        Cli.Result consumed =
                cli.run(
                        "consume",
                        "orders",
                        "--group",
                        "billing",
                        "--from",
                        "earliest",
                        "--max",
                        "60",
                        "--timeout",
                        "10s");
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.outLines()).hasSize(60);

        assertThat(cli.run("group", "list", "--queue", "orders").outLines())
                .containsExactly("billing");
        Cli.Result described = cli.run("group", "describe", "billing", "--queue", "orders");
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.out()).containsPattern("PARTITION +COMMITTED +HEAD +LAG +OWNER");
        for (int p = 0; p < 3; p++) {
            // committed == head, lag 0, no owner once the consumer left
            assertThat(described.out()).containsPattern("(?m)^" + p + " +(\\d+) +\\1 +0 +-$");
        }
        assertThat(described.out()).containsPattern("(?m)^total +- +- +0 +-$");
    }

    @Test
    void aGroupResumesWhereItStoppedAndMaxNeverSkipsRecords() {
        Cli cli = queueWith(50);

        Cli.Result first =
                cli.run("consume", "orders", "--group", "g", "--max", "17", "--timeout", "10s");
        Cli.Result second =
                cli.run("consume", "orders", "--group", "g", "--max", "100", "--timeout", "2s");

        assertThat(first.outLines()).hasSize(17);
        assertThat(second.outLines()).hasSize(33).doesNotContainAnyElementsOf(first.outLines());
        assertThat(cli.run("group", "describe", "g", "--queue", "orders").out())
                .containsPattern("(?m)^total +- +- +0 +-$");
    }

    @Test
    void describingAnUnknownGroupFails() {
        Cli cli = queueWith(1);

        Cli.Result r = cli.run("group", "describe", "nobody", "--queue", "orders");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .isEqualTo(
                        "zkmq: error: Group 'nobody' has no state in queue 'orders' (groups: none)");
    }
}
