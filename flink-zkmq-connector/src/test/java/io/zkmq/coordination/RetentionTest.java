package io.zkmq.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ProducerOptions;
import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ExactlyOnceData;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RetentionTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final int BATCH = 4096;
    private static final int SEGMENT_BATCHES = 5;
    private static final long RETENTION = 64 * 1024;

    @Test
    void theElectedLeaderTrimsEveryPartitionBackToItsBoundWhileAProducerKeepsWriting()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client =
                ZK.track(
                        ZkmqClient.connect(
                                ZK.options(ns)
                                        .maintenanceInterval(Duration.ofMillis(100))
                                        .build()));
        client.admin()
                .createQueue(
                        "q",
                        QueueConfig.builder()
                                .partitions(2)
                                .maxBatchBytes(BATCH)
                                .segmentBatches(SEGMENT_BATCHES)
                                .retentionBytes(RETENTION)
                                .build());
        // Retention plus the newest (incomplete) and next-to-go segments, plus what a paced
        // producer
        // appends between two trims. Without trimming, each partition passes it after the first
        // MiB.
        long bound = RETENTION + 2L * SEGMENT_BATCHES * BATCH + 128 * 1024;
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService loadThread = Executors.newSingleThreadExecutor();
        try (ZkmqProducer producer =
                client.producer("q", ProducerOptions.builder().linger(Duration.ZERO).build())) {
            // The producer joins the queue's maintenance election; it is the only candidate.
            Deadline.await(
                    "this client is elected maintenance leader",
                    Duration.ofSeconds(10),
                    () -> client.isMaintenanceLeader("q"));
            Future<?> load =
                    loadThread.submit(
                            () -> {
                                while (!stop.get()) {
                                    for (int i = 0; i < 100; i++) {
                                        producer.send(Record.of(null, new byte[100]));
                                    }
                                    producer.flush();
                                    LockSupport.parkNanos(
                                            5_000_000L); // pacing, so trims can keep up on a busy
                                    // 2-core machine
                                }
                                return null;
                            });
            // Sampled while the producer keeps writing: a partition's size must come back to the
            // bound
            // after every further MiB appended, so it never grows with what was written.
            for (int mib = 1; mib <= 5; mib++) {
                long target = appendedBytes(client) + 1024 * 1024;
                Deadline.await(
                        "the producer appends another MiB",
                        Duration.ofSeconds(60),
                        () -> load.isDone() || appendedBytes(client) >= target);
                assertThat(load.isDone()).as("the producer is still writing").isFalse();
                Deadline.await(
                        "every partition is trimmed back to "
                                + bound
                                + " bytes while the producer writes",
                        Duration.ofSeconds(20),
                        () ->
                                client.admin().describeQueue("q").partitions().stream()
                                        .allMatch(p -> p.bytes() <= bound));
            }
            stop.set(true);
            load.get(60, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            loadThread.shutdownNow();
        }
        Deadline.await(
                "retention catches up after the last append",
                Duration.ofSeconds(10),
                () ->
                        client.admin().describeQueue("q").partitions().stream()
                                .allMatch(p -> p.bytes() <= RETENTION + SEGMENT_BATCHES * BATCH));
        assertThat(appendedBytes(client)).isGreaterThan(5L * 1024 * 1024);
        assertThat(client.admin().describeQueue("q").partitions())
                .allSatisfy(
                        p -> {
                            assertThat(p.lowOffset()).isGreaterThan(0);
                            assertThat(p.headOffset()).isGreaterThan(5_000);
                        });
        for (int p = 0; p < 2; p++) {
            long segmentsCreated = client.admin().readHead("q", p).nextSeq() / SEGMENT_BATCHES + 1;
            int segmentsLeft =
                    client.curator().getChildren().forPath(ZkmqPaths.segments("q", p)).size();
            assertThat(segmentsLeft)
                    .as("segment znodes left of %d created", segmentsCreated)
                    .isLessThan((int) segmentsCreated / 2);
        }
    }

    private static long appendedBytes(ZkmqClient client) {
        long appended = 0;
        for (int p = 0; p < 2; p++) {
            appended += client.admin().readHead("q", p).nextBytes();
        }
        return appended;
    }

    @Test
    void aReaderBehindRetentionGetsOutOfRangeOrResetsToEarliestAsConfigured() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client =
                ZK.track(
                        ZkmqClient.connect(
                                ZK.options(ns)
                                        .maintenanceInterval(Duration.ofMillis(100))
                                        .build()));
        client.admin()
                .createQueue(
                        "q",
                        QueueConfig.builder()
                                .partitions(1)
                                .maxBatchBytes(BATCH)
                                .segmentBatches(SEGMENT_BATCHES)
                                .retentionBytes(8 * 1024)
                                .build());
        try (ZkmqProducer producer =
                client.producer("q", ProducerOptions.builder().linger(Duration.ZERO).build())) {
            for (int i = 0; i < 20_000; i++) {
                producer.send(Record.of(null, ("r" + i).getBytes()));
            }
            producer.flush();
            Deadline.await(
                    "the start of the partition is trimmed",
                    Duration.ofSeconds(10),
                    () -> client.admin().describeQueue("q").partitions().get(0).lowOffset() > 0);
        }
        try (ZkmqConsumer strict = client.consumer("q", ConsumerOptions.builder().build())) {
            assertThatThrownBy(() -> strict.assign(Map.of(0, StartingPosition.offset(0))))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessageContaining("outside the readable range");
        }
        // Readers that fall behind while retention trims are told, never skipped silently.
        for (ConsumerOptions.OutOfRange policy : ConsumerOptions.OutOfRange.values()) {
            try (ZkmqProducer producer =
                            client.producer(
                                    "q", ProducerOptions.builder().linger(Duration.ZERO).build());
                    ZkmqConsumer slow =
                            client.consumer(
                                    "q",
                                    ConsumerOptions.builder()
                                            .outOfRange(policy)
                                            .prefetchBatches(1)
                                            .maxPollRecords(1)
                                            .build())) {
                slow.assign(Map.of(0, StartingPosition.earliest()));
                assertThat(slow.poll(Duration.ofSeconds(5))).hasSize(1);
                long position = slow.positions().get(0).offset();
                for (int i = 0; i < 20_000; i++) {
                    producer.send(Record.of(null, ("s" + i).getBytes()));
                }
                producer.flush();
                long head = client.admin().describeQueue("q").partitions().get(0).headOffset();
                Deadline.await(
                        "retention trims past the slow reader",
                        Duration.ofSeconds(10),
                        () ->
                                client.admin().describeQueue("q").partitions().get(0).lowOffset()
                                        > position + 200);
                if (policy == ConsumerOptions.OutOfRange.FAIL) {
                    assertThatThrownBy(
                                    () -> {
                                        for (int i = 0; i < 10_000; i++) {
                                            slow.poll(Duration.ofMillis(100));
                                        }
                                    })
                            .isInstanceOf(OffsetOutOfRangeException.class)
                            .hasMessageContaining("trimmed by retention")
                            .hasMessageContaining(
                                    "Position offset " + slow.positions().get(0).offset());
                    // Raised again on every poll until the reader seeks: never skipped silently.
                    assertThatThrownBy(() -> slow.poll(Duration.ofSeconds(5)))
                            .isInstanceOf(OffsetOutOfRangeException.class);
                    slow.seek(0, StartingPosition.earliest());
                    assertThat(slow.poll(Duration.ofSeconds(5))).isNotEmpty();
                } else {
                    List<QueueRecord> read = new ArrayList<>();
                    Deadline.await(
                            "the resetting reader reaches the head",
                            Duration.ofSeconds(20),
                            () -> {
                                List<QueueRecord> polled;
                                do {
                                    polled = slow.poll(Duration.ofMillis(100));
                                    read.addAll(polled);
                                } while (!polled.isEmpty());
                                return slow.positions().get(0).offset() == head;
                            });
                    assertThat(read.get(read.size() - 1).offset()).isEqualTo(head - 1);
                    assertThat(read)
                            .extracting(QueueRecord::offset)
                            .isSorted()
                            .doesNotHaveDuplicates();
                }
            }
        }
    }

    @Test
    void trimmingCommittedTransactionsDeletesTheirRefsAndStagedBatchesBelowLowOnly()
            throws Exception {
        ZkmqClient client =
                ZK.client(
                        ZooKeeperExtension
                                .freshNamespace()); // joins no election: retention runs below only
        client.admin()
                .createQueue(
                        "q",
                        QueueConfig.builder()
                                .partitions(1)
                                .maxBatchBytes(1024)
                                .segmentBatches(4)
                                .retentionBytes(600)
                                .build());
        TransactionStore store = client.transactions();
        List<String> expected = new ArrayList<>();
        try (ZkmqProducer producer =
                client.producer("q", ProducerOptions.builder().joinMaintenance(false).build())) {
            for (int t = 0; t < 8; t++) {
                String txn = "sink-0-" + t;
                store.commit(
                        "q",
                        0,
                        txn,
                        ExactlyOnceData.stage(store, "q", 0, txn, "t" + t + "-", 10).attempt());
                for (int i = 0; i < 10; i++) {
                    expected.add("t" + t + "-" + i);
                }
                if (t % 2 == 0) { // plain batches in between: batch numbers without a refs entry
                    producer.send(0, Record.of(null, ("p" + t).getBytes(StandardCharsets.UTF_8)));
                    producer.flush();
                    expected.add("p" + t);
                }
            }
        }
        PartitionHead head = client.admin().readHead("q", 0);
        Map<Long, String> stagedBySeq = new TreeMap<>();
        for (long seq = 0; seq < head.nextSeq(); seq++) {
            if (client.curator().checkExists().forPath(ZkmqPaths.reference("q", 0, seq)) != null) {
                stagedBySeq.put(
                        seq,
                        new String(
                                client.curator()
                                        .getData()
                                        .forPath(ZkmqPaths.reference("q", 0, seq)),
                                StandardCharsets.UTF_8));
            }
        }
        assertThat(stagedBySeq)
                .hasSize(
                        (int) head.nextSeq()
                                - 4); // every batch but the 4 plain ones is a reference

        assertThat(new RetentionTask(client.curator(), "q").runOnce()).isPositive();

        PartitionLow low = client.admin().readLow("q", 0);
        List<String> kept = new ArrayList<>();
        int below = 0;
        for (Map.Entry<Long, String> e : stagedBySeq.entrySet()) {
            boolean trimmed = e.getKey() < low.lowSeq();
            below += trimmed ? 1 : 0;
            assertThat(
                            client.curator()
                                    .checkExists()
                                    .forPath(ZkmqPaths.reference("q", 0, e.getKey())))
                    .as("refs entry of batch %d (low %d)", e.getKey(), low.lowSeq())
                    .matches(s -> (s == null) == trimmed);
            assertThat(client.curator().checkExists().forPath(e.getValue()))
                    .as(
                            "staged batch %s of batch %d (low %d)",
                            e.getValue(), e.getKey(), low.lowSeq())
                    .matches(s -> (s == null) == trimmed);
            if (!trimmed) {
                kept.add(e.getValue().substring(e.getValue().lastIndexOf('/') + 1));
            }
        }
        assertThat(below).as("references below low").isPositive();
        assertThat(kept).as("references at or above low").isNotEmpty();
        assertThat(client.curator().getChildren().forPath(ZkmqPaths.stagedBatches("q", 0)))
                .containsExactlyInAnyOrderElementsOf(kept);

        List<QueueRecord> read =
                ExactlyOnceData.read(
                        client, "q", 0, StartingPosition.earliest(), head.nextOffset());
        assertThat(read).extracting(QueueRecord::offset).first().isEqualTo(low.lowOffset());
        assertThat(read)
                .extracting(ExactlyOnceData::value)
                .containsExactlyElementsOf(
                        expected.subList((int) low.lowOffset(), expected.size()));
        try (ZkmqConsumer consumer =
                client.consumer("q", ConsumerOptions.builder().joinMaintenance(false).build())) {
            assertThatThrownBy(() -> consumer.assign(Map.of(0, StartingPosition.offset(0))))
                    .isInstanceOf(OffsetOutOfRangeException.class);
        }
    }
}
