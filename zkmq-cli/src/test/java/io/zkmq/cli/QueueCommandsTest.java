package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueueCommandsTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    @Test
    void createdQueuesAreListedAndDescribed() {
        Cli cli = ZK.freshCli();

        Cli.Result created =
                cli.run(
                        "queue",
                        "create",
                        "orders",
                        "--partitions",
                        "4",
                        "--max-batch-bytes",
                        "64KiB",
                        "--segment-batches",
                        "50",
                        "--retention-bytes",
                        "1048576",
                        "--retention-time",
                        "2d");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.out()).contains("Created queue orders with 4 partitions");
        assertThat(cli.run("queue", "create", "audit", "--partitions", "1").exitCode()).isZero();

        assertThat(cli.run("queue", "list").outLines()).containsExactly("audit", "orders");

        Cli.Result described = cli.run("queue", "describe", "orders");
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.out())
                .containsPattern("Partitions: +4")
                .containsPattern("Max batch bytes: +65536 \\(64 KiB\\)")
                .containsPattern("Segment batches: +50")
                .containsPattern("Retention bytes: +1048576 \\(1 MiB\\)")
                .containsPattern("Retention time: +2d")
                .containsPattern("PARTITION +LOW +HEAD +RECORDS +BYTES");
        for (int p = 0; p < 4; p++) {
            assertThat(described.out()).containsPattern("(?m)^" + p + " +0 +0 +0 +0$");
        }
    }

    @Test
    void alterGrowsPartitionsAndChangesRetention() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "2");

        Cli.Result altered =
                cli.run("queue", "alter", "orders", "--partitions", "6", "--retention-time", "12h");
        assertThat(altered.exitCode()).as(altered.toString()).isZero();

        String described = cli.run("queue", "describe", "orders").out();
        assertThat(described)
                .containsPattern("Partitions: +6")
                .containsPattern("Retention time: +12h");
        assertThat(described).containsPattern("(?m)^5 +0 +0 +0 +0$");
    }

    @Test
    void quotaBytesIsSetAtCreationChangedByAlterAndDescribedWithItsUsage() {
        Cli cli = ZK.freshCli();

        Cli.Result created =
                cli.run("queue", "create", "q", "--partitions", "4", "--quota-bytes", "2GiB");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String described = cli.run("queue", "describe", "q").out();
        assertThat(described)
                .containsPattern("Quota bytes: +2147483648 \\(2 GiB\\) for all partitions")
                .containsPattern("Quota usage: +\\d+ of 2147483648 bytes \\(0%\\)");

        Cli.Result altered = cli.run("queue", "alter", "q", "--quota-bytes", "4GiB");
        assertThat(altered.exitCode()).as(altered.toString()).isZero();
        assertThat(altered.out())
                .containsPattern("Quota bytes: +4294967296 \\(4 GiB\\) for all partitions");
        assertThat(cli.run("queue", "describe", "q").out())
                .containsPattern("Quota usage: +\\d+ of 4294967296 bytes");

        Cli.Result removed = cli.run("queue", "alter", "q", "--quota-bytes", "0");
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(cli.run("queue", "describe", "q").out())
                .containsPattern("Quota bytes: +none")
                .doesNotContain("Quota usage:");
    }

    @Test
    void aQuotaTooSmallForTheQueueIsRejectedNamingTheMinimum() {
        Cli.Result r =
                ZK.freshCli()
                        .run("queue", "create", "q", "--partitions", "4", "--quota-bytes", "64MiB");

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err())
                .contains("quotaBytes 67108864 is too small for 4 partitions")
                .contains("at least 262144000 bytes");
    }

    @Test
    void alterWithoutChangesIsAUsageError() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "2");

        Cli.Result r = cli.run("queue", "alter", "orders");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith("zkmq: error: Nothing to change");
    }

    @Test
    void shrinkingPartitionsFailsWithTheClientsReason() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "4");

        Cli.Result r = cli.run("queue", "alter", "orders", "--partitions", "2");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith("zkmq: error: ")
                .contains("partitions can be added but never removed");
    }

    @Test
    void deletedQueuesDisappear() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "1");

        Cli.Result deleted = cli.run("queue", "delete", "orders");

        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(cli.run("queue", "list").outLines()).isEmpty();
    }

    @Test
    void creatingAnExistingQueueFails() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "1");

        Cli.Result r = cli.run("queue", "create", "orders", "--partitions", "1");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith("zkmq: error: ")
                .contains("'orders' already exists");
    }
}
