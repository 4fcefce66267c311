package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.queue.Position;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ExactlyOnceData;
import io.zkmq.testing.TieredQueue;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers read a tiered partition as one ordered, dense partition: tier objects (offloaded by
 * real {@link TierOffloadTask} runs, their segments deleted from ZooKeeper by the stand-in hot
 * trim) and then the hot tail in ZooKeeper. Real ZooKeeper server, local-file tier.
 */
class TierReadTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @TempDir java.nio.file.Path dir;

    private static ZkmqConsumer consumer(TieredQueue q, int prefetch, int maxPoll) {
        return q.client()
                .consumer(
                        q.queue(),
                        ConsumerOptions.builder()
                                .joinMaintenance(false)
                                .prefetchBatches(prefetch)
                                .maxPollRecords(maxPoll)
                                .build());
    }

    /** Polls until every partition reached {@code end}, checking order, density and content. */
    private static long readTo(ZkmqConsumer consumer, long[] next, long[] end, Duration timeout) {
        long[] count = {0};
        Deadline.await(
                "records up to " + java.util.Arrays.toString(end),
                timeout,
                () -> {
                    for (QueueRecord r : consumer.poll(Duration.ofMillis(100))) {
                        assertThat(r.offset())
                                .as("next offset of partition %d", r.partition())
                                .isEqualTo(next[r.partition()]);
                        next[r.partition()]++;
                        TieredQueue.assertProduced(r);
                        count[0]++;
                    }
                    for (int p = 0; p < end.length; p++) {
                        if (next[p] < end[p]) {
                            return false;
                        }
                    }
                    return true;
                });
        return count[0];
    }

    @Test
    void aMillionRecordsReadBackInOrderFromSeveralTierObjectsThenZooKeeper() throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "million", 2);
        int rounds = 4;
        for (int r = 0; r < rounds; r++) {
            q.produce(125_000);
            assertThat(q.offloadAndTrim()).as("objects registered in round %d", r).isEqualTo(2);
        }
        for (int p = 0; p < 2; p++) {
            TierHigh high = q.tierHigh(p);
            assertThat(high.objects()).as("objects of partition %d", p).isEqualTo(rounds);
            assertThat(q.inZooKeeper(p, 0)).as("batch 0 of partition %d trimmed", p).isFalse();
            assertThat(q.inZooKeeper(p, high.nextSeq()))
                    .as("the hot tail of partition %d", p)
                    .isTrue();
        }
        try (ZkmqConsumer consumer = consumer(q, 16, 10_000)) {
            consumer.assignAll(StartingPosition.earliest());
            long[] next = new long[2];
            long read =
                    readTo(
                            consumer,
                            next,
                            new long[] {q.produced(0), q.produced(1)},
                            Duration.ofSeconds(60));
            assertThat(read).isEqualTo(1_000_000L);
        }
    }

    @Test
    void aConsumerReadingZooKeeperWhileItsSegmentsAreTrimmedContinuesFromTheTier()
            throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "switch", 1);
        q.produce(40_000);
        try (ZkmqConsumer consumer = consumer(q, 2, 500)) {
            consumer.assign(Map.of(0, StartingPosition.earliest()));
            long[] next = new long[1];
            readTo(consumer, next, new long[] {1_000}, Duration.ofSeconds(20));
            assertThat(q.inZooKeeper(0, 0)).as("read from ZooKeeper so far").isTrue();

            assertThat(q.offloadAndTrim()).isEqualTo(1);
            assertThat(q.inZooKeeper(0, 0)).isFalse();
            assertThat(q.tierHigh(0).nextOffset()).isGreaterThan(next[0] + 10_000);

            q.produce(5_000); // more in the hot tail while the consumer reads the tier
            readTo(consumer, next, new long[] {q.produced(0)}, Duration.ofSeconds(30));
            assertThat(consumer.poll(Duration.ofMillis(200))).as("nothing twice").isEmpty();
        }
    }

    @Test
    void aConsumerGroupCommitsInTheTierAndANewMemberContinuesFromThereAcrossTheBoundary()
            throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "group", 2);
        q.produce(20_000);
        assertThat(q.offloadAndTrim()).isEqualTo(2);
        q.produce(5_000); // the hot tail
        ConsumerOptions group =
                ConsumerOptions.builder()
                        .group("g")
                        .joinMaintenance(false)
                        .startWithoutCommit(StartingPosition.earliest())
                        .maxPollRecords(500)
                        .build();
        long[] next = new long[2];
        Map<Integer, Position> committed;
        try (ZkmqConsumer first = q.client().consumer(q.queue(), group)) {
            readTo(first, next, new long[] {3_000, 3_000}, Duration.ofSeconds(30));
            first.commit();
            committed = first.positions();
        }
        for (int p = 0; p < 2; p++) {
            assertThat(committed.get(p).offset())
                    .as("committed inside the tier, partition %d", p)
                    .isLessThan(q.tierHigh(p).nextOffset());
            assertThat(
                            q.client()
                                    .admin()
                                    .readCommitted(q.queue(), "g", p)
                                    .orElseThrow()
                                    .position()
                                    .offset())
                    .isEqualTo(committed.get(p).offset());
            next[p] = committed.get(p).offset();
        }
        try (ZkmqConsumer second = q.client().consumer(q.queue(), group)) {
            readTo(second, next, new long[] {q.produced(0), q.produced(1)}, Duration.ofSeconds(30));
            assertThat(second.poll(Duration.ofMillis(200))).as("nothing twice").isEmpty();
        }
    }

    @Test
    void exactlyOnceCommitsAreReadBackMaterializedFromTheTier() throws Exception {
        TieredQueue q = TieredQueue.create(ZK, dir, "eos", 1);
        ZkmqClient client = q.client();
        TransactionStore store = client.transactions();
        List<String> expected = new ArrayList<>();
        try (ZkmqProducer producer =
                client.producer(
                        q.queue(),
                        ProducerOptions.builder()
                                .joinMaintenance(false)
                                .linger(Duration.ZERO)
                                .build())) {
            for (int t = 0; t < 60; t++) {
                String txn = "sink-0-" + t;
                store.commit(
                        q.queue(),
                        0,
                        txn,
                        ExactlyOnceData.stage(store, q.queue(), 0, txn, "t" + t + "-", 20)
                                .attempt());
                for (int i = 0; i < 20; i++) {
                    expected.add("t" + t + "-" + i);
                }
                String plain = "p" + t + "-" + "x".repeat(6_000);
                producer.send(0, Record.of(null, plain.getBytes(StandardCharsets.UTF_8)));
                producer.flush();
                expected.add(plain);
            }
        }
        assertThat(q.offloadAndTrim()).isEqualTo(1);
        assertThat(client.curator().checkExists().forPath(ZkmqPaths.reference(q.queue(), 0, 0)))
                .as("the reference of batch 0 and its staged batch were trimmed")
                .isNull();
        try (ZkmqConsumer consumer = consumer(q, 8, 1_000)) {
            consumer.assign(Map.of(0, StartingPosition.earliest()));
            List<QueueRecord> read = new ArrayList<>();
            Deadline.await(
                    expected.size() + " records",
                    Duration.ofSeconds(30),
                    () -> {
                        read.addAll(consumer.poll(Duration.ofMillis(100)));
                        return read.size() >= expected.size();
                    });
            assertThat(read).extracting(ExactlyOnceData::value).containsExactlyElementsOf(expected);
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i).offset()).isEqualTo(i);
            }
        }
    }
}
