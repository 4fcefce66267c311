package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.TieredQueue;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producer, maintenance and consumers for real: a producer that joins maintenance (interval 100 ms)
 * writes far past the hot bound while a group consumer reads along; a second consumer catches up
 * from earliest afterwards, mostly from the tier. Both read everything once, in order, and
 * ZooKeeper's hot bytes stay bounded throughout.
 */
class TierMaintenanceEndToEndTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final int PARTITIONS = 2;
    private static final int SEGMENT_BATCHES = 4;
    private static final int MAX_BATCH = 2 * 1024;
    private static final long SEGMENT = (long) SEGMENT_BATCHES * MAX_BATCH;
    private static final long HOT = 8 * 1024;
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final int RECORDS_PER_PARTITION = 15_000;
    private static final int RECORDS_PER_SECOND = 3_000; // both partitions: about 10 s

    @TempDir Path tierDir;

    @Test
    void producerLeadingMaintenanceKeepsTheHotTailBoundedWhileConsumersReadEverythingOnce()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client =
                ZK.track(ZkmqClient.connect(ZK.options(ns).maintenanceInterval(INTERVAL).build()));
        client.admin()
                .createQueue(
                        "q",
                        QueueConfig.builder()
                                .partitions(PARTITIONS)
                                .maxBatchBytes(MAX_BATCH)
                                .segmentBatches(SEGMENT_BATCHES)
                                .retentionBytes(1L << 40)
                                // The records' timestamps are from 2023 (TieredQueue.expected):
                                // retention by time must not take them while the test reads.
                                .retentionTime(Duration.ofDays(100 * 365))
                                .tierUri(tierDir.toUri().toString())
                                .hotRetentionBytes(HOT)
                                .build());
        // Paced: a steady stream over about 10 s rather than one burst.
        RateLimiter<?> pace =
                RateLimiterStrategy.perSecond(RECORDS_PER_SECOND).createRateLimiter(1);
        long[] groupNext = new long[PARTITIONS];
        HotTailWatch watch = new HotTailWatch();
        try (ZkmqProducer producer =
                        client.producer(
                                "q",
                                ProducerOptions.builder()
                                        .joinMaintenance(true)
                                        .linger(Duration.ofMillis(5))
                                        .build());
                ZkmqConsumer group =
                        client.consumer(
                                "q",
                                ConsumerOptions.builder()
                                        .group("g")
                                        .joinMaintenance(false)
                                        .startWithoutCommit(StartingPosition.earliest())
                                        .build())) {
            for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                pace.acquire(PARTITIONS).toCompletableFuture().join();
                for (int p = 0; p < PARTITIONS; p++) {
                    producer.send(p, TieredQueue.expected(p, i));
                }
                if (i % 250 == 0) {
                    readInOrder(group.poll(Duration.ofMillis(1)), groupNext);
                    watch.sample(client);
                }
            }
            producer.flush();
            watch.sample(client);
            Deadline.await(
                    "the group consumer reads every record",
                    Duration.ofSeconds(30),
                    () -> {
                        readInOrder(group.poll(Duration.ofMillis(100)), groupNext);
                        return groupNext[0] == RECORDS_PER_PARTITION
                                && groupNext[1] == RECORDS_PER_PARTITION;
                    });
            assertThat(group.poll(Duration.ofMillis(200))).as("nothing twice").isEmpty();
            // Once producing stops, the next runs leave no more than the hot bound and the open
            // segment in ZooKeeper.
            Deadline.await(
                    "the hot tails settle within hotRetentionBytes + one segment",
                    Duration.ofSeconds(30),
                    () -> maxHotBytes(client) <= HOT + SEGMENT);

            // ZooKeeper holds at most: what was left at the last run (hot bound + the open
            // segment) + what arrived since + one segment between registration and trim. "Since
            // the last run" spans up to two gaps between observed registrations (a run plans at
            // its start). The interval is 100 ms, but a run on a loaded 2-core machine can take
            // seconds, so the gaps are measured rather than assumed.
            long bound = HOT + 2 * SEGMENT + 2 * watch.maxArrivalsBetweenRuns;
            assertThat(watch.maxHot)
                    .as(
                            "max hot bytes of a partition while producing (most arrivals between two"
                                    + " runs: %d)",
                            watch.maxArrivalsBetweenRuns)
                    .isLessThan(bound);
            for (PartitionInfo p : client.admin().describeQueue("q").partitions()) {
                assertThat(watch.runs[p.partition()])
                        .as("offload runs observed on partition %d", p.partition())
                        .isGreaterThanOrEqualTo(5);
                assertThat(p.bytes())
                        .as("partition %d went far past the hot bound", p.partition())
                        .isGreaterThan(10 * HOT + 2 * SEGMENT);
                assertThat(p.tieredBytes()).isPositive();
            }
        }

        long[] catchUpNext = new long[PARTITIONS];
        try (ZkmqConsumer late =
                client.consumer("q", ConsumerOptions.builder().joinMaintenance(false).build())) {
            late.assignAll(StartingPosition.earliest());
            Deadline.await(
                    "the late consumer catches up from earliest",
                    Duration.ofSeconds(30),
                    () -> {
                        readInOrder(late.poll(Duration.ofMillis(100)), catchUpNext);
                        return catchUpNext[0] == RECORDS_PER_PARTITION
                                && catchUpNext[1] == RECORDS_PER_PARTITION;
                    });
            assertThat(late.poll(Duration.ofMillis(200))).as("nothing twice").isEmpty();
        }
    }

    /** Every record is the one produced at its offset, and follows its predecessor. */
    private static void readInOrder(List<QueueRecord> records, long[] next) {
        for (QueueRecord r : records) {
            assertThat(r.offset())
                    .as("next offset of partition %d", r.partition())
                    .isEqualTo(next[r.partition()]);
            TieredQueue.assertProduced(r);
            next[r.partition()]++;
        }
    }

    /**
     * Samples describe while producing: the largest hot tail, and the most bytes a partition
     * received between two registrations seen (a change of its tiered segments; the first gap
     * starts at the beginning).
     */
    private static final class HotTailWatch {
        long maxHot;
        long maxArrivalsBetweenRuns;
        final int[] runs = new int[PARTITIONS];
        private final long[] tieredSegments = new long[PARTITIONS];
        private final long[] bytesAtLastRun = new long[PARTITIONS];

        void sample(ZkmqClient client) {
            for (PartitionInfo p : client.admin().describeQueue("q").partitions()) {
                int i = p.partition();
                maxHot = Math.max(maxHot, p.hotBytes());
                if (p.tieredSegments() != tieredSegments[i]) {
                    maxArrivalsBetweenRuns =
                            Math.max(maxArrivalsBetweenRuns, p.bytes() - bytesAtLastRun[i]);
                    tieredSegments[i] = p.tieredSegments();
                    bytesAtLastRun[i] = p.bytes();
                    runs[i]++;
                }
            }
        }
    }

    private static long maxHotBytes(ZkmqClient client) {
        return client.admin().describeQueue("q").partitions().stream()
                .mapToLong(PartitionInfo::hotBytes)
                .max()
                .orElseThrow();
    }
}
