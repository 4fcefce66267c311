package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.error.QuotaExceededException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Quotas;
import org.apache.zookeeper.StatsTrack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quota of a tiered queue is the hard bound of its hot tail, enforced by a real ZooKeeper
 * server ({@code zookeeper.enforceQuota=true}): with the tier down, producers are refused at the
 * quota with an error naming the tier, retention deletes nothing for it, and once the tier is back
 * offload and hot trim free ZooKeeper.
 */
class TieredQueueQuotaTest {
    @RegisterExtension static final ZooKeeperExtension ZK = ZooKeeperExtension.enforcingQuotas();

    private static final String Q = "q";
    private static final int BATCH = 4096;
    private static final int SEGMENT_BATCHES = 4;
    private static final long HOT = 20 * 1024;
    private static final long QUOTA = 96 * 1024;
    private static final int VALUE_BYTES = 1500;

    @TempDir java.nio.file.Path dir;

    private static QueueConfig.Builder tiered(String tierUri) {
        return QueueConfig.builder()
                .partitions(1)
                .maxBatchBytes(BATCH)
                .segmentBatches(SEGMENT_BATCHES)
                .tierUri(tierUri)
                .hotRetentionBytes(HOT);
    }

    private static String value(int i) {
        String id = "r" + i + "-";
        return id + "x".repeat(VALUE_BYTES - id.length());
    }

    @Test
    void withTheTierDownProducersAreRefusedAtTheQuotaNamingTheTierNothingIsLostAndTheyResume()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client =
                ZK.track(
                        ZkmqClient.connect(
                                ZK.options(ns)
                                        .maintenanceInterval(Duration.ofMillis(100))
                                        .build()));
        // The tier's parent is a regular file: every write to it fails.
        java.nio.file.Path blocker = Files.writeString(dir.resolve("blocked"), "not a directory");
        String uri = blocker.resolve("tier").toUri().toString();
        client.admin().createQueue(Q, tiered(uri).quotaBytes(QUOTA).build());
        List<String> acknowledged = new ArrayList<>();
        int sent = 0;
        ProducerOptions options =
                ProducerOptions.builder()
                        .linger(Duration.ZERO)
                        .deliveryTimeout(Duration.ofSeconds(30))
                        .build();
        try (ZkmqProducer producer = client.producer(Q, options)) {
            Deadline.await(
                    "this client is elected maintenance leader",
                    Duration.ofSeconds(10),
                    () -> client.isMaintenanceLeader(Q));
            List<Throwable> failures = new ArrayList<>();
            // Twice the quota: the hot tail cannot leave ZooKeeper, so the quota stops it.
            for (; sent < 2 * QUOTA / VALUE_BYTES; sent++) {
                CompletableFuture<RecordMetadata> ack =
                        producer.send(
                                Record.of(null, value(sent).getBytes(StandardCharsets.UTF_8)));
                try {
                    ack.get(60, TimeUnit.SECONDS); // one at a time: the order of refusals is plain
                    acknowledged.add(value(sent));
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertThat(acknowledged)
                    .as("records written before the hot tail was full")
                    .isNotEmpty();
            assertThat(failures).as("records refused at the quota").isNotEmpty();
            assertThat(failures)
                    .allSatisfy(
                            f ->
                                    assertThat(f)
                                            .isInstanceOf(QuotaExceededException.class)
                                            .hasMessageContaining(
                                                    "hot tail of tiered queue '" + Q + "'")
                                            .hasMessageContaining("quota of " + QUOTA + " bytes")
                                            .hasMessageContaining(
                                                    "offload to tier " + uri + " is behind")
                                            .hasMessageContaining("Nothing acknowledged is lost"));
            assertThat(client.admin().readLow(Q, 0).lowSeq())
                    .as("retention deleted nothing because of the quota")
                    .isZero();
            assertThat(client.curator().checkExists().forPath(ZkmqPaths.tierHigh(Q, 0)))
                    .as("nothing reached the tier")
                    .isNull();

            // Fill the last bytes, so that even the registration of a tier object (an index entry
            // under the quota too) is refused: the leader must lift the limit for it.
            QuotaUsage full = client.admin().describeQueue(Q).quota().orElseThrow();
            client.curator()
                    .create()
                    .forPath(
                            ZkmqPaths.partition(Q, 0) + "/filler",
                            new byte[(int) (full.limitBytes() - full.usedBytes())]);

            // The tier is back: offload catches up, hot trim frees ZooKeeper, producing resumes.
            Files.delete(blocker);
            Files.createDirectory(blocker);
            Deadline.await(
                    "offload and hot trim bring the hot tail back under half the quota",
                    Duration.ofSeconds(60),
                    () ->
                            client.admin().describeQueue(Q).quota().orElseThrow().usedBytes()
                                    < QUOTA / 2);
            for (int i = 0; i < 20; i++, sent++) {
                producer.send(Record.of(null, value(sent).getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
                acknowledged.add(value(sent));
            }
        }
        assertThat(client.admin().describeQueue(Q).quota().orElseThrow().limitBytes())
                .as("the limit lifted for a registration is set back")
                .isEqualTo(QUOTA);
        client.close();

        // Settle what the closed leader may have left between registration and hot trim.
        ZkmqClient reader = ZK.client(ns);
        MaintenanceEpoch epoch = new MaintenanceEpoch(reader.curator(), Q);
        epoch.bump();
        new TierOffloadTask(reader.curator(), ns, Q, epoch, Duration.ofMinutes(10)).runOnce();
        List<QueueRecord> records = TieredPartition.readAll(reader, ns, uri, Q, 0, SEGMENT_BATCHES);
        assertThat(records)
                .extracting(TieredPartition::value)
                .as("every acknowledged record, once, in order; none of the refused ones")
                .containsExactlyElementsOf(acknowledged);
    }

    @Test
    void aTieredQueueWithoutAQuotaGetsTheDocumentedDefaultAndAQuotaBelowTheHotTailIsRefused()
            throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        String uri = dir.resolve("tier").toUri().toString();
        QueueConfig config = tiered(uri).build();
        long segment = (long) SEGMENT_BATCHES * BATCH;
        assertThat(config.effectiveQuotaBytes())
                .hasValue(
                        Math.max(
                                QueueConfig.MIN_DEFAULT_TIER_QUOTA_BYTES,
                                QueueConfig.TIER_QUOTA_HOT_FACTOR * (HOT + segment)));
        assertThat(config.effectiveRetentionBytes())
                .as("retention of a tiered queue is never lowered for the quota")
                .isEqualTo(config.retentionBytes());
        client.admin().createQueue(Q, config);
        assertThat(client.admin().describeQueue(Q).quota().orElseThrow().limitBytes())
                .isEqualTo(config.effectiveQuotaBytes().getAsLong());

        // Raising the hot bound raises the derived default with it.
        long bigHot = 64L << 20;
        client.admin().alterQueue(Q, b -> b.hotRetentionBytes(bigHot));
        assertThat(client.admin().describeQueue(Q).quota().orElseThrow().limitBytes())
                .isEqualTo(QueueConfig.TIER_QUOTA_HOT_FACTOR * (bigHot + segment));

        assertThatThrownBy(() -> tiered(uri).quotaBytes(HOT + segment).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("too small for the hot tail of tier " + uri)
                .hasMessageContaining("at least " + (HOT + 2 * segment) + " bytes");
    }

    @Test
    void theDefaultQuotaGivesWayToAQuotaOnAPartitionZnodeButAnExplicitOneIsRefused()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        String uri = dir.resolve("tier").toUri().toString();
        // An operator's own quota below the queue's partitions (quotas cannot nest).
        StatsTrack limit = new StatsTrack();
        limit.setByteHardLimit(1L << 30);
        client.curator()
                .usingNamespace(null)
                .create()
                .creatingParentsIfNeeded()
                .forPath(
                        Quotas.limitPath("/" + ns + ZkmqPaths.partition(Q, 0)),
                        limit.getStatsBytes());

        assertThatThrownBy(
                        () -> client.admin().createQueue(Q, tiered(uri).quotaBytes(QUOTA).build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("quotas cannot nest");
        client.admin().deleteQueue(Q);
        client.admin().createQueue(Q, tiered(uri).build());
        assertThat(client.admin().describeQueue(Q).quota())
                .as("no queue quota: the operator's quota bounds the hot tail")
                .isEmpty();
    }
}
