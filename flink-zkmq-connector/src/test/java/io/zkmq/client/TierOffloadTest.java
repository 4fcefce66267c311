package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.coordination.RetentionTask;
import io.zkmq.coordination.TierIndex;
import io.zkmq.error.FencedException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ExactlyOnceData;
import io.zkmq.testing.LogCapture;
import io.zkmq.testing.ZooKeeperExtension;
import io.zkmq.tier.ListedTierObject;
import io.zkmq.tier.TierBatchIterator;
import io.zkmq.tier.TierObjectReader;
import io.zkmq.tier.TierObjectStore;
import io.zkmq.tier.WrittenTierObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offload to a local-file tier through Flink's FileSystem, against a real ZooKeeper server: what
 * the objects hold, how they are registered and fenced, orphans, an unreachable tier, retention.
 */
class TierOffloadTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final String Q = "q";
    private static final int SEGMENT_BATCHES = 4;
    private static final int MAX_BATCH = 1024;

    /** Just above one segment's maximum (4 x 1024): the last few segments stay hot. */
    private static final long HOT = 5000;

    private static final Duration LONG_GRACE = Duration.ofMinutes(10);

    @TempDir java.nio.file.Path dir;

    private QueueConfig config(String tierUri) {
        return QueueConfig.builder()
                .partitions(1)
                .maxBatchBytes(MAX_BATCH)
                .segmentBatches(SEGMENT_BATCHES)
                .retentionBytes(1L << 30)
                .tierUri(tierUri)
                .hotRetentionBytes(HOT)
                .build();
    }

    private String tierUri() {
        return dir.resolve("tier").toUri().toString();
    }

    /**
     * Committed exactly-once transactions (reference batches) between plain batches of 700-byte
     * records.
     */
    private static void produce(ZkmqClient client, int rounds) {
        TransactionStore store = client.transactions();
        try (ZkmqProducer producer =
                client.producer(
                        Q,
                        ProducerOptions.builder()
                                .joinMaintenance(false)
                                .linger(Duration.ZERO)
                                .build())) {
            for (int t = 0; t < rounds; t++) {
                String txn = "sink-0-" + t;
                store.commit(
                        Q,
                        0,
                        txn,
                        ExactlyOnceData.stage(store, Q, 0, txn, "t" + t + "-", 10).attempt());
                producer.send(
                        0,
                        Record.of(
                                null,
                                ("p" + t + "-" + "x".repeat(700))
                                        .getBytes(StandardCharsets.UTF_8)));
                producer.flush();
            }
        }
    }

    private static MaintenanceEpoch leaderEpoch(ZkmqClient client) throws Exception {
        MaintenanceEpoch epoch = new MaintenanceEpoch(client.curator(), Q);
        epoch.bump();
        return epoch;
    }

    private static TierOffloadTask task(
            ZkmqClient client, String ns, MaintenanceEpoch epoch, Duration grace) {
        return new TierOffloadTask(client.curator(), ns, Q, epoch, grace);
    }

    private static TierHigh tierHigh(ZkmqClient client) throws Exception {
        String path = ZkmqPaths.tierHigh(Q, 0);
        return TierHigh.fromJson(client.curator().getData().forPath(path), path);
    }

    private static List<TierObjectEntry> entries(ZkmqClient client) throws Exception {
        return TierIndex.read(client.curator(), Q, 0).stream()
                .map(TierIndex.Registered::entry)
                .toList();
    }

    private static long startBytes(ZkmqClient client, long seq) throws Exception {
        String path = ZkmqPaths.segment(Q, 0, seq / SEGMENT_BATCHES);
        return SegmentInfo.fromJson(client.curator().getData().forPath(path), path).startBytes();
    }

    /**
     * Segment id to the partition byte position of its first batch, of the segments in ZooKeeper.
     */
    private static Map<Long, Long> segmentStarts(ZkmqClient client) throws Exception {
        Map<Long, Long> out = new TreeMap<>();
        for (String name : client.curator().getChildren().forPath(ZkmqPaths.segments(Q, 0))) {
            out.put(
                    Long.parseLong(name),
                    startBytes(client, Long.parseLong(name) * SEGMENT_BATCHES));
        }
        return out;
    }

    /** The batch numbers in ZooKeeper, ascending. */
    private static List<Long> zooKeeperBatches(ZkmqClient client) throws Exception {
        List<Long> out = new ArrayList<>();
        for (String segment : client.curator().getChildren().forPath(ZkmqPaths.segments(Q, 0))) {
            for (String batch :
                    client.curator()
                            .getChildren()
                            .forPath(ZkmqPaths.child(ZkmqPaths.segments(Q, 0), segment))) {
                out.add(Long.parseLong(batch));
            }
        }
        out.sort(null);
        return out;
    }

    /** Reference batch number to the staged batch its refs entry names. */
    private static Map<Long, String> references(ZkmqClient client) throws Exception {
        Map<Long, String> out = new TreeMap<>();
        for (String name : client.curator().getChildren().forPath(ZkmqPaths.references(Q, 0))) {
            out.put(
                    Long.parseLong(name),
                    new String(
                            client.curator()
                                    .getData()
                                    .forPath(ZkmqPaths.reference(Q, 0, Long.parseLong(name))),
                            StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<Batch> batchesOf(TierObjectReader reader) {
        List<Batch> out = new ArrayList<>();
        try (TierBatchIterator it = reader.batches()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void offloadCopiesTheOldestCompleteSegmentsWithMaterializedReferencesAndRegistersThemOnce()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue(Q, config(tierUri()));
        produce(client, 16);
        PartitionHead head = client.admin().readHead(Q, 0);
        Map<Long, Long> starts = segmentStarts(client);
        List<QueueRecord> fromZooKeeper =
                ExactlyOnceData.read(client, Q, 0, StartingPosition.earliest(), head.nextOffset());
        TierOffloadTask task = task(client, ns, leaderEpoch(client), LONG_GRACE);

        assertThat(task.runOnce()).as("objects registered by the first run").isEqualTo(1);
        assertThat(task.runOnce()).as("a second run finds the hot tail within its bound").isZero();

        List<TierObjectEntry> entries = entries(client);
        assertThat(entries).hasSize(1);
        TierObjectEntry entry = entries.get(0);
        TierHigh high = tierHigh(client);
        assertThat(entry.firstSeq()).isZero();
        assertThat(entry.baseOffset()).isZero();
        assertThat(entry.startBytes()).isZero();
        assertThat(entry.endBytes())
                .as("the partition byte position of the first batch not offloaded")
                .isEqualTo(starts.get(high.nextSeq() / SEGMENT_BATCHES));
        assertThat(high)
                .isEqualTo(
                        new TierHigh(
                                entry.lastSeq() + 1,
                                entry.records(),
                                1,
                                entry.bytes(),
                                entry.endBytes()));
        assertThat(high.nextSeq() % SEGMENT_BATCHES).as("objects cover whole segments").isZero();
        assertThat(high.nextSeq()).as("complete segments only").isLessThanOrEqualTo(head.nextSeq());
        long hot = head.nextBytes() - starts.get(high.nextSeq() / SEGMENT_BATCHES);
        assertThat(hot).as("hot bytes above the tier").isLessThanOrEqualTo(HOT);
        long hotBeforeLastSegment =
                head.nextBytes() - starts.get(high.nextSeq() / SEGMENT_BATCHES - 1);
        assertThat(hotBeforeLastSegment)
                .as("the last offloaded segment was needed")
                .isGreaterThan(HOT);

        TierObjectStore store = new TierObjectStore(new Path(tierUri()), ns);
        TierObjectReader reader = store.open(Q, 0, store.resolve(entry.path()));
        assertThat(entry.matches(reader.footer())).isTrue();
        List<Batch> batches = batchesOf(reader);
        List<QueueRecord> fromTier = new ArrayList<>();
        long expectedOffset = 0;
        for (int i = 0; i < batches.size(); i++) {
            Batch b = batches.get(i);
            assertThat(b.seq()).as("batch %d", i).isEqualTo(i);
            assertThat(b.isReference()).as("batch %d is materialized", i).isFalse();
            assertThat(b.baseOffset()).as("dense offsets at batch %d", i).isEqualTo(expectedOffset);
            expectedOffset = b.nextOffset();
            fromTier.addAll(b.records());
        }
        assertThat(batches).hasSize((int) high.nextSeq());
        assertThat(expectedOffset).isEqualTo(high.nextOffset());
        List<QueueRecord> offloaded = fromZooKeeper.subList(0, (int) high.nextOffset());
        assertThat(fromTier)
                .extracting(QueueRecord::offset)
                .containsExactlyElementsOf(offloaded.stream().map(QueueRecord::offset).toList());
        assertThat(fromTier)
                .extracting(ExactlyOnceData::value)
                .containsExactlyElementsOf(offloaded.stream().map(ExactlyOnceData::value).toList());
        assertThat(fromTier)
                .extracting(QueueRecord::timestamp)
                .containsExactlyElementsOf(offloaded.stream().map(QueueRecord::timestamp).toList());
        assertThat(offloaded)
                .extracting(ExactlyOnceData::value)
                .contains("t0-0", "t1-9")
                .as("references and plain batches both offloaded")
                .anyMatch(v -> v.startsWith("p0-"));
        assertThat(client.admin().readLow(Q, 0).lowSeq()).as("hot trim never moves low").isZero();
        PartitionInfo described = client.admin().describeQueue(Q).partitions().get(0);
        assertThat(described.tieredObjects()).isEqualTo(1);
        assertThat(described.tieredBytes()).isEqualTo(entry.bytes());
        assertThat(described.bytes()).as("retained: tier and hot tail").isEqualTo(head.nextBytes());
        assertThat(described.hotBytes()).as("what ZooKeeper holds").isEqualTo(hot);
        assertThat(described.tieredSegments()).isEqualTo(high.nextSeq() / SEGMENT_BATCHES);
    }

    @Test
    void hotTrimDeletesTheOffloadedSegmentsWithTheirRefsAndStagedBatchesOldestFirst()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue(Q, config(tierUri()));
        produce(client, 16);
        PartitionHead head = client.admin().readHead(Q, 0);
        Map<Long, String> stagedBefore = references(client);
        assertThat(stagedBefore).as("exactly-once commits left reference batches").isNotEmpty();

        assertThat(task(client, ns, leaderEpoch(client), LONG_GRACE).runOnce()).isEqualTo(1);

        TierHigh high = tierHigh(client);
        assertThat(high.nextSeq()).isPositive();
        assertThat(client.curator().getChildren().forPath(ZkmqPaths.segments(Q, 0)))
                .as("ZooKeeper keeps the segments from the tier's end on, none below")
                .map(Long::parseLong)
                .allMatch(id -> id * SEGMENT_BATCHES >= high.nextSeq())
                .contains(high.nextSeq() / SEGMENT_BATCHES);
        assertThat(zooKeeperBatches(client))
                .as("a contiguous suffix: every batch from the tier's end to the head, no other")
                .containsExactlyElementsOf(
                        LongStream.range(high.nextSeq(), head.nextSeq()).boxed().toList());
        Map<Long, String> stagedAfter = references(client);
        assertThat(stagedAfter.keySet())
                .as("refs entries of the offloaded reference batches are gone, the others stay")
                .containsExactlyInAnyOrderElementsOf(
                        stagedBefore.keySet().stream().filter(s -> s >= high.nextSeq()).toList());
        for (Map.Entry<Long, String> ref : stagedBefore.entrySet()) {
            assertThat(client.curator().checkExists().forPath(ref.getValue()))
                    .as("staged batch of reference batch %d", ref.getKey())
                    .matches(
                            stat -> (stat != null) == (ref.getKey() >= high.nextSeq()),
                            "exists only above the tier's end");
        }
        assertThat(client.admin().readLow(Q, 0))
                .as("hot trim never moves low")
                .isEqualTo(new io.zkmq.queue.PartitionLow(0, 0, 0));
    }

    @Test
    void aDeposedLeaderCannotHotTrim() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue(Q, config(tierUri()));
        produce(client, 12);
        MaintenanceEpoch deposed = leaderEpoch(client);
        // Registered by the leader, which is then deposed before it trimmed.
        TierOffloadTask registerOnly =
                new TierOffloadTask(
                        client.curator(),
                        ns,
                        Q,
                        deposed,
                        LONG_GRACE,
                        (step, p) -> {
                            if (step == OffloadStep.AFTER_REGISTRATION) {
                                leaderEpoch(client);
                            }
                        });
        List<Long> before = zooKeeperBatches(client);

        assertThatThrownBy(registerOnly::runOnce)
                .isInstanceOf(FencedException.class)
                .hasMessageContaining("queue '" + Q + "' partition 0")
                .hasMessageContaining(ZkmqPaths.maintenanceEpoch(Q));
        assertThat(entries(client)).hasSize(1);
        assertThat(zooKeeperBatches(client)).as("nothing deleted").isEqualTo(before);
    }

    @Test
    void theElectedMaintenanceLeaderOffloadsOnItsOwn() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue(Q, config(tierUri()));
        produce(client, 12);
        client.joinMaintenance(Q, new MaintenanceLeader.Settings(Duration.ofMillis(100)));
        Deadline.await(
                "the maintenance leader registers a tier object",
                Duration.ofSeconds(30),
                () -> {
                    try {
                        return client.curator().checkExists().forPath(ZkmqPaths.tierHigh(Q, 0))
                                != null;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        TierHigh high = tierHigh(client);
        List<TierObjectEntry> entries = entries(client);
        assertThat(entries).isNotEmpty();
        assertThat(high.objects()).isEqualTo(entries.size());
        assertThat(high.bytes())
                .isEqualTo(entries.stream().mapToLong(TierObjectEntry::bytes).sum());
        TierObjectEntry last = entries.get(entries.size() - 1);
        assertThat(high.nextSeq()).isEqualTo(last.lastSeq() + 1);
        assertThat(high.nextOffset()).isEqualTo(last.baseOffset() + last.records());
    }

    @Test
    void aDeposedLeaderCannotRegisterAndLeavesNoObjectBehind() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue(Q, config(tierUri()));
        produce(client, 12);
        MaintenanceEpoch deposed = leaderEpoch(client);
        MaintenanceEpoch current =
                leaderEpoch(client); // a new leader took the lead after the old one read its epoch

        assertThatThrownBy(() -> task(client, ns, deposed, LONG_GRACE).runOnce())
                .isInstanceOf(FencedException.class)
                .hasMessageContaining("queue '" + Q + "' partition 0")
                .hasMessageContaining(ZkmqPaths.maintenanceEpoch(Q));
        assertThat(client.curator().checkExists().forPath(ZkmqPaths.tierHigh(Q, 0))).isNull();
        assertThat(entries(client)).isEmpty();
        TierObjectStore store = new TierObjectStore(new Path(tierUri()), ns);
        assertThat(store.list(Q, 0)).as("the refused upload is deleted").isEmpty();

        assertThat(task(client, ns, current, LONG_GRACE).runOnce()).isEqualTo(1);
        assertThat(entries(client)).hasSize(1);
    }

    @Test
    void unregisteredObjectsAreDeletedAfterTheGracePeriodAndRegisteredOnesNever() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue(Q, config(tierUri()));
        produce(client, 12);
        MaintenanceEpoch epoch = leaderEpoch(client);
        // An upload whose leader crashed before registering it.
        TierObjectStore store = new TierObjectStore(new Path(tierUri()), ns);
        WrittenTierObject orphan =
                store.write(
                        Q,
                        0,
                        0,
                        new ZooKeeperBatchSource(client.curator(), Q, 0, SEGMENT_BATCHES, 0, 3));
        assertThat(task(client, ns, epoch, LONG_GRACE).runOnce()).isEqualTo(1);
        TierObjectEntry registered = entries(client).get(0);

        task(client, ns, epoch, LONG_GRACE).runOnce();
        assertThat(store.list(Q, 0))
                .extracting(ListedTierObject::path)
                .as("within the grace period")
                .contains(orphan.path(), store.resolve(registered.path()));

        Duration shortGrace = Duration.ofMillis(50);
        long orphanTime =
                store.list(Q, 0).stream()
                        .filter(o -> o.path().equals(orphan.path()))
                        .findFirst()
                        .orElseThrow()
                        .modificationTime();
        Deadline.await(
                "the grace period passes",
                Duration.ofSeconds(10),
                () -> System.currentTimeMillis() > orphanTime + shortGrace.toMillis());
        task(client, ns, epoch, shortGrace).runOnce();
        assertThat(store.list(Q, 0))
                .extracting(ListedTierObject::path)
                .containsExactly(store.resolve(registered.path()));
        assertThat(entries(client)).containsExactly(registered);
    }

    @Test
    void anUnreachableTierRegistersNothingAndTheNextRunAfterTheFixOffloads() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        java.nio.file.Path blocker =
                Files.writeString(dir.resolve("blocked"), "a regular file, not a directory");
        String uri = blocker.resolve("tier").toUri().toString();
        client.admin().createQueue(Q, config(uri));
        produce(client, 12);
        TierOffloadTask task = task(client, ns, leaderEpoch(client), LONG_GRACE);

        try (LogCapture log = LogCapture.warningsOf(TierOffloadTask.class)) {
            assertThat(task.runOnce()).as("logged and retried, not thrown").isZero();
            assertThat(log.warnings())
                    .singleElement()
                    .asString()
                    .contains("queue 'q' partition 0", uri, "unreachable");
        }
        assertThat(client.curator().checkExists().forPath(ZkmqPaths.tierHigh(Q, 0))).isNull();
        assertThat(entries(client)).isEmpty();

        Files.delete(blocker);
        Files.createDirectory(blocker);
        assertThat(task.runOnce()).isEqualTo(1);
        assertThat(entries(client)).hasSize(1);
    }

    @Test
    void retentionTrimmingDeletesTheTieredEntriesAndObjectsBelowLowAndKeepsTheRest()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue(Q, config(tierUri()));
        MaintenanceEpoch epoch = leaderEpoch(client);
        produce(client, 12);
        assertThat(task(client, ns, epoch, LONG_GRACE).runOnce()).isEqualTo(1);
        produce(client, 12);
        assertThat(task(client, ns, epoch, LONG_GRACE).runOnce()).isEqualTo(1);
        List<TierObjectEntry> entries = entries(client);
        assertThat(entries).hasSize(2);
        TierObjectEntry first = entries.get(0);
        TierObjectEntry second = entries.get(1);
        TierHigh before = tierHigh(client);
        TierObjectStore store = new TierObjectStore(new Path(tierUri()), ns);

        assertThat(startBytesInZooKeeper(client))
                .as("both objects' segments left ZooKeeper")
                .isGreaterThanOrEqualTo(second.endBytes());

        // Retention keeps exactly the bytes from the second object on: low lands on its first
        // batch, counted from the entries since its segments are no longer in ZooKeeper.
        long keep = client.admin().readHead(Q, 0).nextBytes() - second.startBytes();
        client.admin().alterQueue(Q, b -> b.retentionBytes(keep));
        assertThat(new RetentionTask(client.curator(), Q).runOnce()).isPositive();
        assertThat(client.admin().readLow(Q, 0))
                .isEqualTo(
                        new io.zkmq.queue.PartitionLow(
                                second.firstSeq(), second.baseOffset(), second.startBytes()));

        task(client, ns, epoch, LONG_GRACE).runOnce();
        assertThat(entries(client))
                .as("the entry below low goes, the one above stays")
                .containsExactly(second);
        assertThat(store.list(Q, 0))
                .extracting(ListedTierObject::path)
                .containsExactly(store.resolve(second.path()));
        assertThat(tierHigh(client))
                .isEqualTo(
                        new TierHigh(
                                before.nextSeq(),
                                before.nextOffset(),
                                1,
                                second.bytes(),
                                before.nextBytes()));
        assertThat(first.lastSeq()).isLessThan(second.firstSeq());
    }

    @Test
    void retentionTimeMovesLowAcrossTieredObjectsWhoseNewestRecordIsOlderThanTheCutoff()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        // A short hot time: every complete segment goes to the tier, ZooKeeper keeps the open one.
        Duration hotTime = Duration.ofMillis(100);
        client.admin()
                .createQueue(Q, config(tierUri()).toBuilder().hotRetentionTime(hotTime).build());
        MaintenanceEpoch epoch = leaderEpoch(client);
        produce(client, 12);
        long produced = System.currentTimeMillis();
        Deadline.await(
                "the complete segments are older than the hot retention time",
                Duration.ofSeconds(10),
                () -> System.currentTimeMillis() > produced + 2 * hotTime.toMillis());
        assertThat(task(client, ns, epoch, LONG_GRACE).runOnce()).isEqualTo(1);
        TierObjectEntry entry = entries(client).get(0);
        TierHigh high = tierHigh(client);
        assertThat(segmentStarts(client).keySet())
                .as("at most the open segment stays in ZooKeeper")
                .allMatch(id -> id * SEGMENT_BATCHES >= high.nextSeq());
        assertThat(new RetentionTask(client.curator(), Q).runOnce())
                .as("within a 7-day retention nothing goes")
                .isZero();

        Duration retention = Duration.ofMillis(200);
        client.admin().alterQueue(Q, b -> b.retentionTime(retention));
        Deadline.await(
                "the object's newest record is older than the retention time",
                Duration.ofSeconds(10),
                () -> System.currentTimeMillis() > entry.maxTs() + retention.toMillis() + 1);
        assertThat(new RetentionTask(client.curator(), Q).runOnce()).isEqualTo(1);
        assertThat(client.admin().readLow(Q, 0))
                .as("low passes the expired object, up to the tier's end")
                .isEqualTo(
                        new io.zkmq.queue.PartitionLow(
                                high.nextSeq(), high.nextOffset(), high.nextBytes()));
        task(client, ns, epoch, LONG_GRACE).runOnce();
        assertThat(entries(client)).isEmpty();
        assertThat(new TierObjectStore(new Path(tierUri()), ns).list(Q, 0)).isEmpty();
    }

    /** The partition byte position where what ZooKeeper holds starts. */
    private static long startBytesInZooKeeper(ZkmqClient client) throws Exception {
        return segmentStarts(client).values().iterator().next();
    }
}
