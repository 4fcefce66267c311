package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.coordination.TierIndex;
import io.zkmq.error.CorruptObjectException;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.error.TierObjectNotFoundException;
import io.zkmq.error.TierUnavailableException;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.TieredQueue;
import io.zkmq.testing.ZooKeeperExtension;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tier object that is corrupt, missing, deleted by retention while being read, or a tier that
 * cannot be reached: each is a specific error naming the object and partition, never a gap.
 */
class TierReadErrorsTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @TempDir java.nio.file.Path dir;

    private static ZkmqConsumer consumer(TieredQueue q, int prefetch, int maxPoll) {
        ZkmqConsumer c =
                q.client()
                        .consumer(
                                q.queue(),
                                ConsumerOptions.builder()
                                        .joinMaintenance(false)
                                        .prefetchBatches(prefetch)
                                        .maxPollRecords(maxPoll)
                                        .build());
        c.assign(Map.of(0, StartingPosition.earliest()));
        return c;
    }

    private static List<TierIndex.Registered> entries(TieredQueue q) throws Exception {
        return TierIndex.read(q.client().curator(), q.queue(), 0);
    }

    private java.nio.file.Path file(TierIndex.Registered r) {
        return dir.resolve(r.entry().path());
    }

    @Test
    void aCorruptObjectRaisesCorruptObjectExceptionNamingItOnEveryPoll() throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "corrupt", 1);
        q.produce(20_000);
        assertThat(q.offloadAndTrim()).isEqualTo(1);
        TierIndex.Registered entry = entries(q).get(0);
        try (RandomAccessFile f = new RandomAccessFile(file(entry).toFile(), "rw")) {
            // Byte 70: inside the first record of batch 0 (records start after the 68-byte
            // header), whatever size the producer made that batch. Its CRC32C fails.
            f.seek(70);
            int b = f.read();
            f.seek(70);
            f.write(b ^ 0x01);
        }
        try (ZkmqConsumer c = consumer(q, 4, 1_000)) {
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> c.poll(Duration.ofSeconds(10)))
                        .as("poll %d", attempt)
                        .isInstanceOf(CorruptObjectException.class)
                        .hasMessageContaining(entry.entry().path())
                        .hasMessageContaining("queue 'corrupt' partition 0")
                        .hasMessageContaining("batch 0");
            }
            assertThat(c.positions().get(0).offset()).as("nothing skipped").isZero();
            awaitTierThreadsIdle("zkmq-tier-read-corrupt-");
        }
    }

    /**
     * Waits until the tier threads whose names start with {@code prefix} used no CPU for 20 checks
     * in a row (200 ms or more): a failed or stopped partition leaves nothing running.
     */
    private static void awaitTierThreadsIdle(String prefix) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] last = {-1};
        int[] quiet = {0};
        Deadline.await(
                "tier threads " + prefix + "* idle",
                Duration.ofSeconds(20),
                () -> {
                    long cpu = 0;
                    for (Thread t : Thread.getAllStackTraces().keySet()) {
                        if (t.getName().startsWith(prefix)) {
                            cpu += Math.max(0, mx.getThreadCpuTime(t.getId()));
                        }
                    }
                    quiet[0] = cpu == last[0] ? quiet[0] + 1 : 0;
                    last[0] = cpu;
                    return quiet[0] >= 20;
                });
    }

    @Test
    void aDeletedObjectInsideRetentionRaisesTierObjectNotFoundException() throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "deleted", 1);
        q.produce(20_000);
        assertThat(q.offloadAndTrim()).isEqualTo(1);
        TierIndex.Registered entry = entries(q).get(0);
        Files.delete(file(entry));
        try (ZkmqConsumer c = consumer(q, 4, 1_000)) {
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> c.poll(Duration.ofSeconds(10)))
                        .as("poll %d", attempt)
                        .isInstanceOf(TierObjectNotFoundException.class)
                        .hasMessageContaining(entry.entry().path())
                        .hasMessageContaining("queue 'deleted' partition 0")
                        .hasMessageContaining(entry.znode());
            }
        }
    }

    @Test
    void objectsDeletedByRetentionWhileBeingReadRaiseOffsetOutOfRange() throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "retained", 1);
        q.produce(20_000);
        assertThat(q.offloadAndTrim()).isEqualTo(1);
        q.produce(20_000);
        assertThat(q.offloadAndTrim()).isEqualTo(1);
        List<TierIndex.Registered> entries = entries(q);
        assertThat(entries).hasSize(2);
        try (ZkmqConsumer c = consumer(q, 2, 100)) {
            List<QueueRecord> read = new ArrayList<>();
            Deadline.await(
                    "the first records, from the first object",
                    Duration.ofSeconds(20),
                    () -> {
                        read.addAll(c.poll(Duration.ofMillis(100)));
                        return read.size() >= 200;
                    });

            retainFromTheTiersEnd(q, entries);

            List<Throwable> raised = new ArrayList<>();
            Deadline.await(
                    "OffsetOutOfRangeException",
                    Duration.ofSeconds(20),
                    () -> {
                        try {
                            read.addAll(c.poll(Duration.ofMillis(100)));
                        } catch (OffsetOutOfRangeException e) {
                            raised.add(e);
                        }
                        return !raised.isEmpty();
                    });
            assertThat(raised.get(0))
                    .hasMessageContaining("queue 'retained' partition 0")
                    .hasMessageContaining("trimmed by retention");
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i).offset()).isEqualTo(i);
            }
            assertThat((long) read.size())
                    .as("records delivered before the error all come from the tier")
                    .isLessThan(entries.get(1).entry().baseOffset() + 1);
        }
    }

    /**
     * What retention does when it deletes every object: moves low first (to the first batch still
     * in ZooKeeper), then deletes each index entry (tierHigh's count with it), then the object.
     */
    private void retainFromTheTiersEnd(TieredQueue q, List<TierIndex.Registered> entries)
            throws Exception {
        var curator = q.client().curator();
        TierHigh high = q.tierHigh(0);
        String segment =
                ZkmqPaths.segment(q.queue(), 0, high.nextSeq() / TieredQueue.SEGMENT_BATCHES);
        SegmentInfo s = SegmentInfo.fromJson(curator.getData().forPath(segment), segment);
        curator.setData()
                .forPath(
                        ZkmqPaths.low(q.queue(), 0),
                        new PartitionLow(s.firstSeq(), s.baseOffset(), s.startBytes()).toJson());
        for (TierIndex.Registered r : entries) {
            high = high.minus(r.entry());
            curator.delete().forPath(r.znode());
            curator.setData().forPath(ZkmqPaths.tierHigh(q.queue(), 0), high.toJson());
            Files.delete(file(r));
        }
    }

    @Test
    void anUnreachableTierIsRetriedThenRaisedNamingQueuePartitionObjectAndTier() throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "unreachable", 1);
        q.produce(20_000);
        assertThat(q.offloadAndTrim()).isEqualTo(1);
        TierIndex.Registered entry = entries(q).get(0);
        String badTier = "nosuchfs://nowhere/tier";
        q.client().admin().alterQueue(q.queue(), b -> b.tierUri(badTier));
        try (ZkmqConsumer c = consumer(q, 4, 1_000)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.poll(Duration.ofSeconds(20)))
                    .isInstanceOf(TierUnavailableException.class)
                    .hasMessageContaining("queue 'unreachable' partition 0")
                    .hasMessageContaining(entry.entry().path())
                    .hasMessageContaining(badTier)
                    .hasMessageContaining("5 attempts");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("retried with backoff first")
                    .isGreaterThan(Duration.ofMillis(1_000));

            // The tier is back: the next poll reads on from where the error was.
            q.client().admin().alterQueue(q.queue(), b -> b.tierUri(q.tierUri()));
            List<QueueRecord> read = new ArrayList<>();
            Deadline.await(
                    "records once the tier is back",
                    Duration.ofSeconds(20),
                    () -> {
                        read.addAll(c.poll(Duration.ofMillis(100)));
                        return !read.isEmpty();
                    });
            assertThat(read.get(0).offset()).isZero();
        }
    }
}
