package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.coordination.TierIndex;
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
import io.zkmq.testing.S3ProxyExtension;
import io.zkmq.testing.ZooKeeperExtension;
import io.zkmq.tier.ListedTierObject;
import io.zkmq.tier.TierBatchIterator;
import io.zkmq.tier.TierObjectReader;
import io.zkmq.tier.TierObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.apache.flink.core.fs.Path;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Offload to S3 (s3proxy through Flink's S3 file system plugin) by the maintenance leader's tier
 * task against a real ZooKeeper server, including the S3 server going away under load.
 */
class TierOffloadS3Test {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();
    @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final String Q = "events";
    private static final int PARTITIONS = 2;
    private static final int SEGMENT_BATCHES = 4;
    private static final int MAX_BATCH = 1024;

    /** Just above one segment's maximum (4 x 1024): the last few segments stay hot. */
    private static final long HOT = 5000;

    private static final Duration LONG_GRACE = Duration.ofMinutes(10);

    private static QueueConfig config(String tierUri) {
        return QueueConfig.builder()
                .partitions(PARTITIONS)
                .maxBatchBytes(MAX_BATCH)
                .segmentBatches(SEGMENT_BATCHES)
                .retentionBytes(1L << 30)
                .tierUri(tierUri)
                .hotRetentionBytes(HOT)
                .build();
    }

    private static TierOffloadTask leaderTask(ZkmqClient client, String ns) throws Exception {
        MaintenanceEpoch epoch = new MaintenanceEpoch(client.curator(), Q);
        epoch.bump();
        return new TierOffloadTask(client.curator(), ns, Q, epoch, LONG_GRACE);
    }

    private static ZkmqProducer producer(ZkmqClient client) {
        return client.producer(
                Q, ProducerOptions.builder().joinMaintenance(false).linger(Duration.ZERO).build());
    }

    private static void send(ZkmqProducer producer, int partition, long n) {
        producer.send(
                partition,
                Record.of(
                        null,
                        ("p" + partition + "-" + n + "-" + "x".repeat(150))
                                .getBytes(StandardCharsets.UTF_8)));
    }

    private static List<TierObjectEntry> entries(ZkmqClient client, int partition)
            throws Exception {
        return TierIndex.read(client.curator(), Q, partition).stream()
                .map(TierIndex.Registered::entry)
                .toList();
    }

    private static TierHigh tierHigh(ZkmqClient client, int partition) throws Exception {
        String path = ZkmqPaths.tierHigh(Q, partition);
        return client.curator().checkExists().forPath(path) == null
                ? TierHigh.EMPTY
                : TierHigh.fromJson(client.curator().getData().forPath(path), path);
    }

    /** Bytes of the partition above the tier's end: what ZooKeeper holds that the tier does not. */
    private static long hotBytes(ZkmqClient client, int partition) throws Exception {
        PartitionHead head = client.admin().readHead(Q, partition);
        long seq = tierHigh(client, partition).nextSeq();
        String path = ZkmqPaths.segment(Q, partition, seq / SEGMENT_BATCHES);
        return head.nextBytes()
                - SegmentInfo.fromJson(client.curator().getData().forPath(path), path).startBytes();
    }

    /** Every record of the registered objects of a partition, in object order. */
    private static List<QueueRecord> tieredRecords(
            ZkmqClient client, TierObjectStore store, int partition) throws Exception {
        List<QueueRecord> out = new ArrayList<>();
        for (TierObjectEntry entry : entries(client, partition)) {
            TierObjectReader reader = store.open(Q, partition, store.resolve(entry.path()));
            assertThat(entry.matches(reader.footer())).as("entry %s", entry.path()).isTrue();
            try (TierBatchIterator it = reader.batches()) {
                it.forEachRemaining(b -> out.addAll(b.records()));
            }
        }
        return out;
    }

    private static List<String> objectsInBucket(String prefix) {
        return S3
                .blobStore()
                .list(S3ProxyExtension.BUCKET, ListContainerOptions.Builder.recursive())
                .stream()
                .map(StorageMetadata::getName)
                .filter(n -> n.startsWith(prefix + "/") && n.endsWith(".zkseg"))
                .sorted()
                .toList();
    }

    /**
     * The registered objects hold every offset from 0 to the tier's end exactly once, with the
     * records ZooKeeper holds; the bucket holds exactly the registered objects.
     */
    private static void assertTierHoldsEachRecordOnce(
            ZkmqClient client, TierObjectStore store, String prefix) throws Exception {
        List<String> registered = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            TierHigh high = tierHigh(client, p);
            List<QueueRecord> tiered = tieredRecords(client, store, p);
            assertThat(tiered)
                    .extracting(QueueRecord::offset)
                    .as("partition %d: each offset below the tier's end in exactly one object", p)
                    .containsExactlyElementsOf(
                            LongStream.range(0, high.nextOffset()).boxed().toList());
            List<QueueRecord> fromZooKeeper =
                    ExactlyOnceData.read(
                                    client, Q, p, StartingPosition.earliest(), high.nextOffset())
                            .subList(0, (int) high.nextOffset());
            assertThat(tiered)
                    .extracting(ExactlyOnceData::value)
                    .containsExactlyElementsOf(
                            fromZooKeeper.stream().map(ExactlyOnceData::value).toList());
            entries(client, p).forEach(e -> registered.add(prefix + "/" + e.path()));
            assertThat(store.list(Q, p))
                    .extracting(ListedTierObject::path)
                    .as("partition %d: no unregistered upload left", p)
                    .containsExactlyElementsOf(
                            entries(client, p).stream().map(e -> store.resolve(e.path())).toList());
        }
        assertThat(objectsInBucket(prefix))
                .containsExactlyElementsOf(registered.stream().sorted().toList());
    }

    @Test
    void offloadsEveryPartitionOfAQueueToS3() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        String prefix = "offload-" + ns;
        client.admin().createQueue(Q, config(S3.uri(prefix)));
        try (ZkmqProducer producer = producer(client)) {
            for (int n = 0; n < 400; n++) {
                for (int p = 0; p < PARTITIONS; p++) {
                    send(producer, p, n);
                }
            }
            producer.flush();
        }
        TierOffloadTask task = leaderTask(client, ns);

        assertThat(task.runOnce()).as("one object per partition").isEqualTo(PARTITIONS);
        assertThat(task.runOnce()).as("the hot tails are within their bound").isZero();

        TierObjectStore store = new TierObjectStore(new Path(S3.uri(prefix)), ns);
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(entries(client, p)).hasSize(1);
            assertThat(hotBytes(client, p)).isLessThanOrEqualTo(HOT);
            assertThat(tierHigh(client, p).nextOffset()).isGreaterThan(300);
        }
        assertTierHoldsEachRecordOnce(client, store, prefix);
    }

    @Test
    void anS3OutageUnderLoadRegistersNothingLosesNothingAndOffloadCatchesUpAfterwards()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        String prefix = "outage-" + ns;
        String uri = S3.uri(prefix);
        client.admin().createQueue(Q, config(uri));
        TierOffloadTask task = leaderTask(client, ns);
        TierObjectStore store = new TierObjectStore(new Path(uri), ns);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong sent = new AtomicLong();
        Thread load =
                new Thread(
                        () -> {
                            try (ZkmqProducer producer = producer(client)) {
                                for (long n = 0; !stop.get(); n++) {
                                    for (int p = 0; p < PARTITIONS; p++) {
                                        send(producer, p, n);
                                    }
                                    sent.incrementAndGet();
                                    if (n % 20 == 19) {
                                        producer.flush();
                                    }
                                }
                                producer.flush();
                            }
                        },
                        "s3-outage-load");
        load.start();
        try {
            Deadline.await(
                    "a first offload of every partition",
                    Duration.ofSeconds(60),
                    () -> {
                        try {
                            task.runOnce();
                            for (int p = 0; p < PARTITIONS; p++) {
                                if (entries(client, p).isEmpty()) {
                                    return false;
                                }
                            }
                            return true;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
            List<List<TierObjectEntry>> before = new ArrayList<>();
            List<TierHigh> highsBefore = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                before.add(entries(client, p));
                highsBefore.add(tierHigh(client, p));
            }

            S3.stop();
            long sentAtStop = sent.get();
            try (LogCapture log = LogCapture.warningsOf(TierOffloadTask.class)) {
                // Runs while S3 is down and producers keep writing, until the hot tails are
                // well past their bound.
                Deadline.await(
                        "the hot tails grow past their bound while S3 is down",
                        Duration.ofSeconds(120),
                        () -> {
                            try {
                                assertThat(task.runOnce()).as("nothing registered").isZero();
                                return sent.get() > sentAtStop + 200
                                        && hotBytes(client, 0) > 3 * HOT
                                        && hotBytes(client, 1) > 3 * HOT;
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                for (int p = 0; p < PARTITIONS; p++) {
                    String partition = "queue '" + Q + "' partition " + p;
                    assertThat(log.warnings())
                            .as("a warning naming queue, partition and tier")
                            .anySatisfy(w -> assertThat(w).contains(partition, uri, "unreachable"));
                }
            }
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(entries(client, p))
                        .as("partition %d: nothing registered while S3 was down", p)
                        .isEqualTo(before.get(p));
                assertThat(tierHigh(client, p)).isEqualTo(highsBefore.get(p));
                assertThat(client.admin().readLow(Q, p).lowSeq())
                        .as("ZooKeeper keeps every batch")
                        .isZero();
            }

            S3.start();
        } finally {
            stop.set(true);
            load.join(Duration.ofSeconds(30).toMillis());
        }
        assertThat(load.isAlive()).as("the load thread ended").isFalse();
        long perPartition = sent.get();
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(client.admin().readHead(Q, p).nextOffset())
                    .as("partition %d: every record sent is in ZooKeeper", p)
                    .isEqualTo(perPartition);
        }

        Deadline.await(
                "offload catches up after S3 is back",
                Duration.ofSeconds(60),
                () -> {
                    try {
                        return task.runOnce() == 0
                                && hotBytes(client, 0) <= HOT
                                && hotBytes(client, 1) <= HOT;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        assertTierHoldsEachRecordOnce(client, store, prefix);
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(tierHigh(client, p).nextOffset())
                    .as("partition %d: what arrived during the outage is in the tier", p)
                    .isGreaterThan(perPartition / 2);
        }
    }
}
