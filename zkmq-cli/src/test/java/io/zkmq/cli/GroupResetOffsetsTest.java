package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GroupResetOffsetsTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    /** The table's lines with single spaces between columns. */
    private static List<String> columns(Cli.Result r) {
        return r.outLines().stream().map(l -> l.strip().replaceAll(" +", " ")).toList();
    }

    private static void produce(Cli cli, int from, int to) {
        String lines =
                IntStream.range(from, to).mapToObj(i -> "v" + i).collect(Collectors.joining("\n"));
        Cli.Result r = cli.runWithInput(lines, "produce", "orders", "--partition", "0");
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static Cli consumedGroup(int records, int consumed) {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "2");
        produce(cli, 0, records);
        Cli.Result c =
                cli.run(
                        "consume",
                        "orders",
                        "--group",
                        "g",
                        "--max",
                        "" + consumed,
                        "--timeout",
                        "5s");
        assertThat(c.exitCode()).as(c.toString()).isZero();
        return cli;
    }

    @Test
    void aDryRunPrintsOldAndNewOffsetsAndExecuteMovesTheGroup() {
        Cli cli = consumedGroup(20, 15);

        Cli.Result dry =
                cli.run(
                        "group",
                        "reset-offsets",
                        "g",
                        "--queue",
                        "orders",
                        "--to-offset",
                        "5",
                        "--partition",
                        "0");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(columns(dry)).containsExactly("PARTITION OLD NEW", "0 15 5");
        assertThat(dry.err()).contains("Dry run: nothing changed; add --execute");
        assertThat(cli.run("group", "describe", "g", "--queue", "orders").out())
                .containsPattern("(?m)^0 +15 +20 +5 +-$");

        Cli.Result done =
                cli.run(
                        "group",
                        "reset-offsets",
                        "g",
                        "--queue",
                        "orders",
                        "--shift-by",
                        "-10",
                        "--execute");
        assertThat(done.exitCode()).as(done.toString()).isZero();
        assertThat(columns(done)).containsExactly("PARTITION OLD NEW", "0 15 5", "1 0 0");
        assertThat(done.err()).isEqualTo("Reset group g of queue orders in 2 partitions\n");

        Cli.Result again = cli.run("consume", "orders", "--group", "g", "--timeout", "2s");
        assertThat(again.outLines())
                .containsExactly(
                        "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15",
                        "v16", "v17", "v18", "v19");
    }

    @Test
    void toDatetimeMovesTheGroupToTheFirstRecordStoredAtOrAfterIt() {
        Cli cli = consumedGroup(4, 4);
        Instant between = Instant.now();
        Deadline.await(
                "the clock moved on",
                Duration.ofSeconds(5),
                () -> Instant.now().isAfter(between.plusMillis(5)));
        produce(cli, 4, 7);

        Cli.Result r =
                cli.run(
                        "group",
                        "reset-offsets",
                        "g",
                        "--queue",
                        "orders",
                        "--partition",
                        "0",
                        "--to-datetime",
                        between.toString(),
                        "--execute");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(columns(r)).containsExactly("PARTITION OLD NEW", "0 4 4");
        Cli.Result earliest =
                cli.run(
                        "group",
                        "reset-offsets",
                        "g",
                        "--queue",
                        "orders",
                        "--partition",
                        "0",
                        "--to-datetime",
                        "2000-01-01T00:00:00Z");
        assertThat(columns(earliest)).containsExactly("PARTITION OLD NEW", "0 4 0");
    }

    @Test
    void resetAndDeleteAreRefusedWhileAConsumerRunsAndNameIt() throws Exception {
        Cli cli = consumedGroup(5, 5);
        try (ZkmqClient client = cli.client();
                ZkmqConsumer member =
                        client.consumer(
                                "orders",
                                ConsumerOptions.builder()
                                        .group("g")
                                        .joinMaintenance(false)
                                        .build())) {
            Deadline.await(
                    "the member holds both partitions",
                    Duration.ofSeconds(20),
                    () -> {
                        member.poll(Duration.ofMillis(50));
                        return member.assignment().size() == 2;
                    });

            Cli.Result reset =
                    cli.run(
                            "group",
                            "reset-offsets",
                            "g",
                            "--queue",
                            "orders",
                            "--to-earliest",
                            "--execute");
            Cli.Result delete = cli.run("group", "delete", "g", "--queue", "orders");

            assertThat(reset.exitCode()).as(reset.toString()).isEqualTo(1);
            assertThat(reset.errLines())
                    .singleElement()
                    .asString()
                    .startsWith(
                            "zkmq: error: Cannot reset the offsets of group 'g' of queue 'orders' while it is in use: live members: ")
                    .contains("held partitions: partition 0 by owner '");
            assertThat(delete.exitCode()).as(delete.toString()).isEqualTo(1);
            assertThat(delete.errLines())
                    .singleElement()
                    .asString()
                    .startsWith(
                            "zkmq: error: Cannot delete group 'g' of queue 'orders' while it is in use");
        }
        Cli.Result delete = cli.run("group", "delete", "g", "--queue", "orders");
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(delete.out()).isEqualTo("Deleted group g of queue orders\n");
        assertThat(cli.run("group", "list", "--queue", "orders").out()).isEmpty();
    }

    @Test
    void aTargetIsRequiredAndOnlyOne() {
        Cli cli = consumedGroup(1, 1);

        Cli.Result none = cli.run("group", "reset-offsets", "g", "--queue", "orders");
        Cli.Result two =
                cli.run(
                        "group",
                        "reset-offsets",
                        "g",
                        "--queue",
                        "orders",
                        "--to-earliest",
                        "--to-latest");

        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--to-earliest").contains("--shift-by");
        assertThat(two.exitCode()).isEqualTo(2);
        assertThat(two.err()).contains("mutually exclusive");
    }
}
