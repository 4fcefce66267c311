package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.QuotaExceededException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Byte quotas enforced by a real ZooKeeper server ({@code zookeeper.enforceQuota=true}). */
class QueueQuotaTest {
    @RegisterExtension static final ZooKeeperExtension ZK = ZooKeeperExtension.enforcingQuotas();

    private static final long QUOTA = 2L << 20;
    private static final int BATCH = 16 * 1024;

    private static QueueConfig.Builder smallQueue(int partitions) {
        // 160 KiB segments, so retention can keep two MiB in check.
        return QueueConfig.builder()
                .partitions(partitions)
                .maxBatchBytes(BATCH)
                .segmentBatches(10)
                .quotaBytes(QUOTA);
    }

    @Test
    void aFullQueueFailsSendsWithQuotaExceededNamingQueueAndBudgetUntilTheQuotaIsRaised()
            throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        // Retention larger than the quota and no maintenance: nothing trims, so the queue fills up.
        client.admin().createQueue("q", smallQueue(1).retentionBytes(1L << 30).build());
        client.admin().createQueue("other", QueueConfig.builder().partitions(1).build());
        ProducerOptions options =
                ProducerOptions.builder()
                        .linger(Duration.ZERO)
                        .joinMaintenance(false)
                        .deliveryTimeout(Duration.ofSeconds(30))
                        .build();
        try (ZkmqProducer producer = client.producer("q", options)) {
            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 3 * QUOTA / 8192; i++) { // three times the budget
                acks.add(producer.send(Record.of(null, new byte[8192])));
            }
            int acknowledged = 0;
            List<Throwable> failures = new ArrayList<>();
            for (CompletableFuture<RecordMetadata> ack : acks) {
                try {
                    ack.get(60, TimeUnit.SECONDS); // bounded: a refusal must not hang the producer
                    acknowledged++;
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertThat(acknowledged)
                    .as("records written before the quota was reached")
                    .isBetween(100, 256);
            assertThat(failures)
                    .as("every record past the quota fails")
                    .hasSize(acks.size() - acknowledged);
            assertThat(failures)
                    .allSatisfy(
                            f ->
                                    assertThat(f)
                                            .isInstanceOf(QuotaExceededException.class)
                                            .hasMessageContaining(
                                                    "Queue 'q' reached its byte quota of "
                                                            + QUOTA
                                                            + " bytes")
                                            .hasMessageContaining("/queues/q/partitions/0")
                                            .hasMessageContaining(
                                                    "zkmq queue alter q --quota-bytes"));
            // flush reports the first failure since the last flush, as its cause.
            assertThatThrownBy(producer::flush)
                    .hasCauseInstanceOf(QuotaExceededException.class)
                    .hasMessageContaining("quota of " + QUOTA + " bytes");

            QuotaUsage usage = client.admin().describeQueue("q").quota().orElseThrow();
            assertThat(usage.limitBytes()).isEqualTo(QUOTA);
            assertThat(usage.usedBytes()).isBetween(QUOTA - 64 * 1024, QUOTA);

            // The server stays healthy: reads and writes outside the full queue go on.
            CuratorFramework curator = client.curator();
            curator.create().forPath("/outside", "still writable".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(curator.getData().forPath("/outside"), StandardCharsets.UTF_8))
                    .isEqualTo("still writable");
            try (ZkmqProducer other = client.producer("other", options)) {
                assertThat(
                                other.send(Record.of(null, new byte[8192]))
                                        .get(30, TimeUnit.SECONDS)
                                        .offset())
                        .isZero();
            }

            client.admin().alterQueue("q", b -> b.quotaBytes(4 * QUOTA));
            assertThat(client.admin().describeQueue("q").quota().orElseThrow().limitBytes())
                    .isEqualTo(4 * QUOTA);
            RecordMetadata after =
                    producer.send(Record.of(null, new byte[8192])).get(30, TimeUnit.SECONDS);
            assertThat(after.offset()).isEqualTo(acknowledged);
        }
    }

    @Test
    void retentionKeepsAQueueUnderItsQuotaWhileAPacedProducerWritesThreeTimesIt() throws Exception {
        ZkmqClient client =
                ZK.track(
                        ZkmqClient.connect(
                                ZK.options(ZooKeeperExtension.freshNamespace())
                                        .maintenanceInterval(Duration.ofMillis(50))
                                        .build()));
        // Retention per partition (128 MiB by default) far above the quota: only the quota share
        // bounds it.
        client.admin().createQueue("q", smallQueue(2).build());
        long target = (long) (QUOTA * QueueConfig.QUOTA_RETENTION_FRACTION);
        try (ZkmqProducer producer =
                client.producer("q", ProducerOptions.builder().linger(Duration.ZERO).build())) {
            Deadline.await(
                    "this client is elected maintenance leader",
                    Duration.ofSeconds(10),
                    () -> client.isMaintenanceLeader("q"));
            // Each step appends 128 KiB, well inside the 20% headroom, then waits for retention to
            // catch up.
            for (int step = 0; step < 3 * QUOTA / (128 * 1024); step++) {
                List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    acks.add(producer.send(Record.of(null, new byte[8192])));
                }
                for (CompletableFuture<RecordMetadata> ack : acks) {
                    ack.get(30, TimeUnit.SECONDS); // fails the test with QuotaExceededException if
                    // retention fell behind
                }
                int s = step;
                Deadline.await(
                        "retention trims queue 'q' back under " + target + " bytes after step " + s,
                        Duration.ofSeconds(30),
                        () -> usedBytes(client) < target);
            }
            QueueDescription described = client.admin().describeQueue("q");
            assertThat(described.totalRecords())
                    .as("trimmed, not merely never written")
                    .isLessThan(3 * QUOTA / 8192);
        }
    }

    @Test
    void aQuotaThroughAChrootedConnectStringIsRefusedNamingTheChroot() throws Exception {
        String chroot = "/chroot-" + ZooKeeperExtension.freshNamespace();
        ZK.client(ZooKeeperExtension.freshNamespace())
                .curator()
                .getZookeeperClient()
                .getZooKeeper()
                .create(
                        chroot,
                        new byte[0],
                        org.apache.zookeeper.ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        org.apache.zookeeper.CreateMode.PERSISTENT);
        ZkmqClient chrooted =
                ZK.track(
                        ZkmqClient.connect(
                                ZkmqClientOptions.builder(ZK.connectString() + chroot).build()));

        assertThatThrownBy(() -> chrooted.admin().createQueue("q", smallQueue(1).build()))
                .isInstanceOf(io.zkmq.error.InvalidConfigException.class)
                .hasMessageContaining("queue 'q'")
                .hasMessageContaining("chroot '" + chroot + "'")
                .hasMessageContaining("/zookeeper/quota");
        // Without a quota the chroot is fine, and describe shows no quota instead of failing.
        chrooted.admin().createQueue("q", smallQueue(1).quotaBytes(0).build());
        assertThat(chrooted.admin().describeQueue("q").quota()).isEmpty();
    }

    @Test
    void deletingAQueueRemovesItsQuotaAndCreatingOneWithoutAQuotaLeavesNone() throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("q", smallQueue(1).build());
        assertThat(client.admin().describeQueue("q").quota()).isPresent();

        client.admin().deleteQueue("q");
        client.admin().createQueue("q", smallQueue(1).quotaBytes(0).build());
        assertThat(client.admin().describeQueue("q").quota()).isEmpty();

        client.admin().alterQueue("q", b -> b.quotaBytes(QUOTA));
        assertThat(client.admin().describeQueue("q").quota().orElseThrow().limitBytes())
                .isEqualTo(QUOTA);
        client.admin().alterQueue("q", b -> b.quotaBytes(0));
        assertThat(client.admin().describeQueue("q").quota()).isEmpty();
        assertThat(client.admin().readConfig("q").config().quotaBytes()).isEmpty();
    }

    @Test
    void underDigestAuthOnlyTheNamespacesIdentityMayChangeTheQueuesLimit() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client =
                ZK.track(ZkmqClient.connect(ZK.options(ns).digestAuth("team:secret").build()));
        client.admin().createQueue("q", smallQueue(1).build());

        org.apache.zookeeper.ZooKeeper zk = client.curator().getZookeeperClient().getZooKeeper();
        String partitions = "/" + ns + "/queues/q/partitions";
        for (String node :
                List.of(
                        org.apache.zookeeper.Quotas.quotaPath(partitions),
                        org.apache.zookeeper.Quotas.limitPath(partitions),
                        org.apache.zookeeper.Quotas.statPath(partitions))) {
            assertThat(zk.getACL(node, null))
                    .as(node)
                    .singleElement()
                    .satisfies(acl -> assertThat(acl.getId().getScheme()).isEqualTo("digest"));
        }
        try (ZkmqClient stranger =
                ZK.track(ZkmqClient.connect(ZK.options(ns).digestAuth("other:pw").build()))) {
            assertThatThrownBy(
                            () ->
                                    stranger.curator()
                                            .getZookeeperClient()
                                            .getZooKeeper()
                                            .setData(
                                                    org.apache.zookeeper.Quotas.limitPath(
                                                            partitions),
                                                    new byte[0],
                                                    -1))
                    .isInstanceOf(org.apache.zookeeper.KeeperException.NoAuthException.class);
        }
    }

    private static long usedBytes(ZkmqClient client) {
        return client.admin().describeQueue("q").quota().orElseThrow().usedBytes();
    }
}
