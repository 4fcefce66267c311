package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProduceConsumeTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    private static String keyedLines(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "key" + (i % 7) + ":value-" + i)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void everyProducedLineIsConsumedInOrderPerKey() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "4");

        Cli.Result produced =
                cli.runWithInput(keyedLines(100), "produce", "orders", "--key-separator", ":");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.err())
                .isEqualTo("Produced 100 records to orders" + System.lineSeparator());

        Cli.Result consumed =
                cli.run(
                        "consume",
                        "orders",
                        "--from",
                        "earliest",
                        "--max",
                        "100",
                        "--timeout",
                        "10s");
        assertThat(consumed.exitCode()).as(consumed.toString()).isZero();
        assertThat(consumed.outLines())
                .hasSize(100)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 100).mapToObj(i -> "value-" + i).toList());

        Cli.Result withKeys =
                cli.run(
                        "consume",
                        "orders",
                        "--from",
                        "earliest",
                        "--max",
                        "100",
                        "--print-key",
                        "--timeout",
                        "10s");
        Map<String, List<Integer>> valuesByKey = new HashMap<>();
        for (String line : withKeys.outLines()) {
            String[] kv = line.split("\t", 2);
            valuesByKey
                    .computeIfAbsent(kv[0], k -> new ArrayList<>())
                    .add(Integer.parseInt(kv[1].substring("value-".length())));
        }
        assertThat(valuesByKey).hasSize(7);
        valuesByKey.forEach(
                (key, values) ->
                        assertThat(values)
                                .as(key)
                                .isSorted()
                                .hasSize(key.equals("key0") || key.equals("key1") ? 15 : 14));
    }

    @Test
    void consumeStopsAtMaxAndAfterTheIdleTimeout() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "2");
        cli.runWithInput(keyedLines(30), "produce", "orders", "--key-separator", ":");

        assertThat(cli.run("consume", "orders", "--max", "10").outLines()).hasSize(10);

        long start = System.nanoTime();
        Cli.Result all = cli.run("consume", "orders", "--timeout", "1s");
        assertThat(all.outLines()).hasSize(30);
        assertThat(all.err()).contains("Consumed 30 records from orders");
        assertThat(System.nanoTime() - start)
                .as("stopped by --timeout 1s, not the 10 s default")
                .isLessThan(8_000_000_000L);
    }

    @Test
    void linesWithoutASeparatorHaveNoKeyAndPartitionPinsTheRecords() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "3");

        Cli.Result produced =
                cli.runWithInput(
                        "k:a\nb\n:c\n",
                        "produce",
                        "orders",
                        "--key-separator",
                        ":",
                        "--partition",
                        "2");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();

        Cli.Result consumed =
                cli.run(
                        "consume",
                        "orders",
                        "--partition",
                        "2",
                        "--print-key",
                        "--max",
                        "3",
                        "--timeout",
                        "5s");
        assertThat(consumed.outLines()).containsExactly("k\ta", "null\tb", "\tc");
        assertThat(cli.run("queue", "describe", "orders").out())
                .containsPattern("(?m)^2 +0 +3 +3 +\\d+$");
    }

    @Test
    void consumeFromAnOffsetSkipsEarlierRecords() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "1");
        cli.runWithInput("a\nb\nc\nd\n", "produce", "orders");

        Cli.Result consumed =
                cli.run("consume", "orders", "--from", "2", "--max", "2", "--timeout", "5s");

        assertThat(consumed.outLines()).containsExactly("c", "d");
    }

    @Test
    void aPartitionOutOfRangeIsAUsageError() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "2");

        Cli.Result produced = cli.runWithInput("a\n", "produce", "orders", "--partition", "5");
        Cli.Result consumed = cli.run("consume", "orders", "--partition", "5", "--timeout", "1s");

        for (Cli.Result r : List.of(produced, consumed)) {
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errLines())
                    .singleElement()
                    .asString()
                    .startsWith(
                            "zkmq: error: --partition 5 is out of range: queue 'orders' has partitions 0..1");
        }
    }

    @Test
    void aRecordTooLargeFailsTheRunButNotTheOtherRecords() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "1", "--max-batch-bytes", "1KiB");
        String tooLarge = "x".repeat(2000);

        Cli.Result r = cli.runWithInput("a\n" + tooLarge + "\nb\n", "produce", "orders");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines())
                .containsExactly(
                        "Produced 2 records to orders",
                        "Acknowledged in order: line 1",
                        "Not written (safe to resend): line 2",
                        "Outcome unknown (may be stored; resending may duplicate): none",
                        r.errLines().get(4));
        assertThat(r.errLines().get(4))
                .startsWith(
                        "zkmq: error: 1 of 3 records were not acknowledged by queue 'orders'"
                                + " (1 not written, 0 with unknown outcome); the first, from line 2: ");
        assertThat(cli.run("consume", "orders", "--max", "2", "--timeout", "5s").outLines())
                .containsExactly("a", "b");
    }
}
