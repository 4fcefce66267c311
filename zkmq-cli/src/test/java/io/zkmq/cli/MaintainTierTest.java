package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ProducerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.Record;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.ZkmqPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zkmq maintain} offloads a tiered queue: to local files with nothing but the CLI, and to S3
 * (s3proxy) with Flink's S3 plugin and the {@code --tier-config} flags.
 */
class MaintainTierTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();
    @RegisterExtension static final TestS3Server S3 = new TestS3Server();

    private static final int PARTITIONS = 4;

    @TempDir Path dir;

    private static String freshNamespace() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** One record per batch, so a default segment (100 batches) fills with 100 records. */
    private static void produce(ZkmqClient client, int perPartition) {
        try (ZkmqProducer producer =
                client.producer(
                        "events",
                        ProducerOptions.builder()
                                .joinMaintenance(false)
                                .linger(Duration.ZERO)
                                .build())) {
            for (int i = 0; i < perPartition; i++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(p, Record.of(null, ("r" + i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
            }
        }
    }

    private static long tieredOffsets(ZkmqClient client, int partition) {
        try {
            String path = ZkmqPaths.tierHigh("events", partition);
            return client.curator().checkExists().forPath(path) == null
                    ? 0
                    : TierHigh.fromJson(client.curator().getData().forPath(path), path)
                            .nextOffset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code maintain} continuously in a thread until every partition has registered tier
     * objects, then stops it (as Ctrl-C would) and returns what it printed.
     */
    private static Cli.Result maintainUntilOffloaded(Cli cli, ZkmqClient client, String... flags)
            throws Exception {
        AtomicReference<Cli.Result> result = new AtomicReference<>();
        List<String> args = new ArrayList<>(List.of(flags));
        args.addAll(List.of("maintain", "--queue", "events", "--interval", "2s"));
        Thread maintain =
                new Thread(() -> result.set(cli.run(args.toArray(String[]::new))), "maintain");
        maintain.start();
        try {
            Deadline.await(
                    "zkmq maintain offloads every partition",
                    Duration.ofSeconds(60),
                    () -> {
                        if (result.get() != null) {
                            throw new AssertionError("maintain ended early: " + result.get());
                        }
                        for (int p = 0; p < PARTITIONS; p++) {
                            if (tieredOffsets(client, p) == 0) {
                                return false;
                            }
                        }
                        return true;
                    });
        } finally {
            maintain.interrupt();
            maintain.join(Duration.ofSeconds(30).toMillis());
        }
        assertThat(maintain.isAlive()).as("maintain stops when interrupted").isFalse();
        return result.get();
    }

    @Test
    void maintainOffloadsAQueueCreatedWithALocalFileTier() throws Exception {
        String ns = freshNamespace();
        Cli cli = Cli.against(ZK.connectString(), ns);
        String tier = dir.resolve("zkmq-tier").toUri().toString();
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
        // 16 MiB per partition would take long to produce here: offload by age instead.
        Cli.Result altered = cli.run("queue", "alter", "events", "--hot-retention-time", "1s");
        assertThat(altered.exitCode()).as(altered.toString()).isZero();

        try (ZkmqClient client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(ZK.connectString()).namespace(ns).build())) {
            produce(client, 250);
            Cli.Result maintained =
                    maintainUntilOffloaded(Cli.against(ZK.connectString(), ns), client);

            assertThat(maintained.out()).contains("Maintaining events every");
            assertThat(maintained.err()).doesNotContain("flink-core");
            try (Stream<Path> files = Files.walk(dir.resolve("zkmq-tier"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".zkseg")).count())
                        .as("tier objects on disk")
                        .isGreaterThanOrEqualTo(PARTITIONS);
            }
            String described = cli.run("queue", "describe", "events").out();
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(tieredOffsets(client, p)).isGreaterThanOrEqualTo(100);
                assertThat(described).containsPattern("(?m)^" + p + " .* [1-9][0-9]*$");
            }
        }
    }

    @Test
    void maintainOnceOffloadsEveryPartitionPastItsHotBound() throws Exception {
        String ns = freshNamespace();
        Cli cli = Cli.against(ZK.connectString(), ns);
        Cli.Result created =
                cli.run(
                        "queue",
                        "create",
                        "events",
                        "--partitions",
                        "4",
                        "--tier-uri",
                        dir.resolve("tier").toUri().toString(),
                        "--hot-retention-bytes",
                        "1KiB",
                        "--segment-batches",
                        "2",
                        "--max-batch-bytes",
                        "1024");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        try (ZkmqClient client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(ZK.connectString()).namespace(ns).build())) {
            produce(client, 100);

            Cli.Result once = cli.run("maintain", "--queue", "events", "--once");

            assertThat(once.exitCode()).as(once.toString()).isZero();
            assertThat(once.out())
                    .contains("Queue events: trimmed 0 segment(s); offloaded 4 tier object(s)");
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(tieredOffsets(client, p)).isPositive();
            }
        }
    }

    @Test
    void maintainOffloadsToS3WithTheTierConfigFlagsAndThePluginsDirectory() throws Exception {
        String ns = freshNamespace();
        String prefix = "cli-" + ns;
        Path secrets = dir.resolve("s3.properties");
        Files.writeString(secrets, "s3.secret-key=" + TestS3Server.SECRET_KEY + "\n");
        String[] s3Flags = {
            "--tier-config",
            "s3.endpoint=" + S3.endpoint(),
            "--tier-config",
            "s3.path.style.access=true",
            "--tier-config",
            "s3.endpoint.region=us-east-1",
            "--tier-config",
            "s3.access-key=" + TestS3Server.ACCESS_KEY,
            "--tier-config-file",
            secrets.toString(),
            "--flink-plugins-dir",
            TestS3Server.pluginsDir().toString()
        };
        Cli cli = Cli.against(ZK.connectString(), ns);
        Cli.Result created =
                cli.run(
                        "queue",
                        "create",
                        "events",
                        "--partitions",
                        "4",
                        "--tier-uri",
                        "s3://" + TestS3Server.BUCKET + "/" + prefix,
                        "--hot-retention-bytes",
                        "1KiB");
        assertThat(created.exitCode()).as(created.toString()).isZero();

        try (ZkmqClient client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(ZK.connectString()).namespace(ns).build())) {
            produce(client, 150);
            Cli.Result maintained =
                    maintainUntilOffloaded(Cli.against(ZK.connectString(), ns), client, s3Flags);

            assertThat(maintained.toString()).doesNotContain(TestS3Server.SECRET_KEY);
            assertThat(S3.objects(prefix)).hasSizeGreaterThanOrEqualTo(PARTITIONS);
        }
    }

    @Test
    void helpShowsTheTierFlagsAndAMissingPluginsDirectoryIsNamed() {
        Cli.Result help = Cli.bare().run("--help");
        assertThat(help.out())
                .contains("--tier-config=KEY=VALUE", "--tier-config-file=FILE")
                .contains("--flink-plugins-dir=DIR", "FLINK_PLUGINS_DIR");

        Path missing = dir.resolve("no-plugins");
        Cli.Result r =
                Cli.against(ZK.connectString(), freshNamespace())
                        .run("--flink-plugins-dir", missing.toString(), "queue", "list");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains(missing.toString(), "--flink-plugins-dir");
    }
}
