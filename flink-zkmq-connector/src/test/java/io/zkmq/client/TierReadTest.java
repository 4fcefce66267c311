package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.TierHigh;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.TieredQueue;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
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
            consumer.assignAll(StartPosition.earliest());
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
            consumer.assign(Map.of(0, StartPosition.earliest()));
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
}
