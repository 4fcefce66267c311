package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.coordination.MaintenanceTask;
import io.zkmq.coordination.TierIndex;
import io.zkmq.error.FencedException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import io.zkmq.tier.ListedTierObject;
import io.zkmq.tier.TierObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.core.fs.Path;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The maintenance leader's ZooKeeper session really expires at each step of an offload, with a
 * second candidate (another client, another session) taking over: nothing is lost or shown twice,
 * offsets stay dense, the index has no duplicates, an orphaned upload is deleted after the grace
 * period, and the deposed leader can neither register nor trim.
 */
class TierLeaderFailoverTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final String Q = "q";
    private static final int SEGMENT_BATCHES = 4;
    private static final long HOT = 5000;
    private static final int RECORDS = 60;
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration GRACE = Duration.ofMillis(300);

    @TempDir java.nio.file.Path dir;

    /** A leader whose tier task counts its runs and keeps its failures. */
    private record Candidate(
            ZkmqClient client,
            MaintenanceLeader leader,
            AtomicInteger runs,
            Queue<Exception> failures) {}

    private static Candidate candidate(ZkmqClient client, String ns, OffloadStep.Hook hook) {
        MaintenanceEpoch epoch = new MaintenanceEpoch(client.curator(), Q);
        TierOffloadTask task = new TierOffloadTask(client.curator(), ns, Q, epoch, GRACE, hook);
        AtomicInteger runs = new AtomicInteger();
        Queue<Exception> failures = new ConcurrentLinkedQueue<>();
        MaintenanceTask recorded =
                new MaintenanceTask(
                        "tier offload",
                        () -> {
                            try {
                                int registered = task.runOnce();
                                runs.incrementAndGet();
                                return registered;
                            } catch (Exception e) {
                                failures.add(e);
                                throw e;
                            }
                        });
        MaintenanceLeader leader =
                new MaintenanceLeader(
                        client.curator(),
                        Q,
                        new MaintenanceLeader.Settings(INTERVAL),
                        epoch,
                        List.of(recorded));
        return new Candidate(client, leader, runs, failures);
    }

    /** Expires a client's session on the server: a second handle on it is opened and closed. */
    private static void expireSession(ZkmqClient client) throws Exception {
        ZooKeeper zk = client.curator().getZookeeperClient().getZooKeeper();
        try (ZooKeeper twin =
                new ZooKeeper(
                        ZK.connectString(),
                        10_000,
                        e -> {},
                        client.sessionId(),
                        zk.getSessionPasswd())) {
            Deadline.await(
                    "the twin handle is connected",
                    Duration.ofSeconds(10),
                    () -> twin.getState().isConnected());
        }
    }

    private static String value(int i) {
        return "r" + i + "-" + "x".repeat(700);
    }

    @ParameterizedTest
    @EnumSource(OffloadStep.class)
    void aLeaderWhoseSessionExpiresAtThisStepLosesNothingAndTheNextLeaderFinishes(OffloadStep at)
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        String tierUri = dir.resolve("tier").toUri().toString();
        ZkmqClient admin = ZK.client(ns);
        admin.admin()
                .createQueue(
                        Q,
                        QueueConfig.builder()
                                .partitions(1)
                                .maxBatchBytes(1024)
                                .segmentBatches(SEGMENT_BATCHES)
                                .tierUri(tierUri)
                                .hotRetentionBytes(HOT)
                                .build());
        List<String> produced = new ArrayList<>();
        try (ZkmqProducer producer =
                admin.producer(
                        Q,
                        ProducerOptions.builder()
                                .joinMaintenance(false)
                                .linger(Duration.ZERO)
                                .build())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(0, Record.of(null, value(i).getBytes(StandardCharsets.UTF_8))).get();
                produced.add(value(i));
            }
        }

        ZkmqClient clientA = ZK.client(ns);
        ZkmqClient clientB = ZK.client(ns);
        AtomicBoolean acted = new AtomicBoolean();
        AtomicInteger runsOfB = new AtomicInteger();
        Candidate b = candidate(clientB, ns, OffloadStep.Hook.NONE);
        OffloadStep.Hook killAtStep =
                (step, partition) -> {
                    if (step != at || !acted.compareAndSet(false, true)) {
                        return;
                    }
                    expireSession(clientA);
                    // The second candidate takes over and completes a whole run meanwhile.
                    Deadline.await(
                            "the second candidate leads and completes a run",
                            Duration.ofSeconds(30),
                            () -> b.runs().get() > 0);
                    if (step == OffloadStep.AFTER_UPLOAD) {
                        // The process dies here: its upload stays behind, unregistered.
                        throw new IllegalStateException("leader A crashed after its upload");
                    }
                };
        Candidate a = candidate(clientA, ns, killAtStep);
        TierObjectStore store = new TierObjectStore(new Path(tierUri), ns);
        try {
            a.leader().start();
            Deadline.await(
                    "the first client leads", Duration.ofSeconds(10), () -> a.leader().isLeader());
            b.leader().start();
            Deadline.await(
                    "the leader's session expires at " + at + " and its run ends",
                    Duration.ofSeconds(60),
                    () -> acted.get() && !a.failures().isEmpty());
            Deadline.await(
                    "the new leader offloads, hot-trims and deletes the orphans",
                    Duration.ofSeconds(60),
                    () -> settled(clientB, store));
        } finally {
            a.leader().close();
            b.leader().close();
        }

        Exception failure = a.failures().peek();
        if (at == OffloadStep.AFTER_UPLOAD) {
            assertThat(failure).hasMessageContaining("crashed after its upload");
        } else {
            assertThat(failure)
                    .as("the deposed leader can neither register nor trim")
                    .isInstanceOf(FencedException.class)
                    .hasMessageContaining("queue '" + Q + "'")
                    .hasMessageContaining(ZkmqPaths.maintenanceEpoch(Q));
        }
        assertThat(b.leader().isLeader()).isFalse(); // closed
        List<TierObjectEntry> entries =
                TierIndex.read(clientB.curator(), Q, 0).stream()
                        .map(TierIndex.Registered::entry)
                        .toList();
        String highPath = ZkmqPaths.tierHigh(Q, 0);
        TierHigh high = TierHigh.fromJson(clientB.curator().getData().forPath(highPath), highPath);
        assertThat(high.objects()).as("tierHigh counts every entry once").isEqualTo(entries.size());
        assertThat(entries)
                .extracting(TierObjectEntry::firstSeq)
                .as("no duplicate index entries")
                .doesNotHaveDuplicates();
        assertThat(store.list(Q, 0))
                .extracting(ListedTierObject::path)
                .as("only registered objects remain: the orphan is deleted after the grace period")
                .containsExactlyInAnyOrderElementsOf(
                        entries.stream().map(e -> store.resolve(e.path())).toList());
        List<QueueRecord> records =
                TieredPartition.readAll(clientB, ns, tierUri, Q, 0, SEGMENT_BATCHES);
        assertThat(records)
                .extracting(TieredPartition::value)
                .as("every record once, in order, from the tier or ZooKeeper")
                .containsExactlyElementsOf(produced);
        assertThat(records)
                .extracting(QueueRecord::offset)
                .as("dense offsets")
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.range(0, RECORDS).boxed().toList());
    }

    /**
     * The hot tail is within its bound, nothing below the tier's end is left in ZooKeeper, and the
     * tier directory holds only registered objects.
     */
    private static boolean settled(ZkmqClient client, TierObjectStore store) {
        try {
            String highPath = ZkmqPaths.tierHigh(Q, 0);
            if (client.curator().checkExists().forPath(highPath) == null) {
                return false;
            }
            TierHigh high =
                    TierHigh.fromJson(client.curator().getData().forPath(highPath), highPath);
            for (String s : client.curator().getChildren().forPath(ZkmqPaths.segments(Q, 0))) {
                if ((Long.parseLong(s) + 1) * SEGMENT_BATCHES <= high.nextSeq()) {
                    return false;
                }
            }
            PartitionInfo p = client.admin().describeQueue(Q).partitions().get(0);
            if (p.hotBytes() > HOT + SEGMENT_BATCHES * 1024) {
                return false;
            }
            List<String> registered =
                    TierIndex.read(client.curator(), Q, 0).stream()
                            .map(r -> store.resolve(r.entry().path()).toString())
                            .toList();
            List<ListedTierObject> listed = store.list(Q, 0);
            return listed.size() == registered.size()
                    && listed.stream().allMatch(o -> registered.contains(o.path().toString()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
