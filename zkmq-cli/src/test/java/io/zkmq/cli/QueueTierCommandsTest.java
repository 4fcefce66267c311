package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The tiered-storage flags of queue create/alter, and what describe shows of the tier. */
class QueueTierCommandsTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    @TempDir Path dir;

    @Test
    void createSetsTheTierAndDescribeShowsItWithTheTieredColumns() {
        Cli cli = ZK.freshCli();
        String tier = dir.resolve("zkmq-tier").toUri().toString();

        // Exactly as the docs (and the issue) write it, with the default segments (100 x 256 KiB).
        Cli.Result created =
                cli.run(
                        "queue",
                        "create",
                        "events",
                        "--partitions",
                        "4",
                        "--tier-uri",
                        tier,
                        "--hot-retention-bytes",
                        "16MiB",
                        "--retention-bytes",
                        "50GiB");
        assertThat(created.exitCode()).as(created.toString()).isZero();

        String described = cli.run("queue", "describe", "events").out();
        assertThat(described)
                .containsPattern("Tier URI: +" + tier)
                .containsPattern("Hot retention: +16777216 \\(16 MiB\\) per partition")
                // 4 x (16 MiB hot + one 25 MiB segment) per partition, for 4 partitions.
                .containsPattern(
                        "Quota bytes: +687865856 \\(656 MiB\\) for all partitions \\(the default of a"
                                + " tiered queue: the hard bound of its hot tail\\)")
                .containsPattern(
                        "PARTITION +LOW +HEAD +RECORDS +BYTES +HOT BYTES +TIERED BYTES +TIERED SEGMENTS"
                                + " +TIERED OBJECTS");
        for (int p = 0; p < 4; p++) {
            assertThat(described).containsPattern("(?m)^" + p + " +0 +0 +0 +0 +0 +0 +0 +0$");
        }
    }

    @Test
    void alterMovesTheTierAndAQueueWithoutOneSaysNone() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "events", "--partitions", "1");
        assertThat(cli.run("queue", "describe", "events").out())
                .containsPattern("Tier URI: +none")
                .containsPattern("Quota bytes: +none")
                .doesNotContain("TIERED")
                .doesNotContain("HOT BYTES");

        Cli.Result altered =
                cli.run(
                        "queue",
                        "alter",
                        "events",
                        "--tier-uri",
                        "s3://bucket/zkmq",
                        "--hot-retention-bytes",
                        "64MiB");
        assertThat(altered.exitCode()).as(altered.toString()).isZero();
        assertThat(altered.out())
                .containsPattern("Tier URI: +s3://bucket/zkmq")
                .containsPattern("Hot retention: +67108864 \\(64 MiB\\) per partition");

        Cli.Result timed = cli.run("queue", "alter", "events", "--hot-retention-time", "1h");
        assertThat(timed.exitCode()).as(timed.toString()).isZero();
        assertThat(timed.out())
                .containsPattern("Hot retention: +67108864 \\(64 MiB\\) per partition, 1h");
    }

    @Test
    void aTierWithoutHotRetentionOrSchemeIsRejectedClearly() {
        Cli cli = ZK.freshCli();
        Cli.Result noHot =
                cli.run(
                        "queue",
                        "create",
                        "events",
                        "--partitions",
                        "1",
                        "--tier-uri",
                        "file:///data/zkmq-tier");
        assertThat(noHot.exitCode()).isNotZero();
        assertThat(noHot.err()).contains("--hot-retention-bytes must be set");

        Cli.Result noScheme =
                cli.run(
                        "queue",
                        "create",
                        "events",
                        "--partitions",
                        "1",
                        "--tier-uri",
                        "/data/zkmq-tier",
                        "--hot-retention-bytes",
                        "64MiB");
        assertThat(noScheme.exitCode()).isNotZero();
        assertThat(noScheme.err()).contains("'/data/zkmq-tier' has no scheme");
    }
}
