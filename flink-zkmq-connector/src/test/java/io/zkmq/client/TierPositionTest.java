package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.coordination.TierIndex;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.TieredQueue;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start positions inside the tier, where the batches are gone from ZooKeeper: an offset or a
 * timestamp is found through the index entries and the object's index, earliest is {@code low}.
 */
class TierPositionTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @TempDir static java.nio.file.Path dir;

    private static TieredQueue q;
    private static List<TierObjectEntry> entries;

    @BeforeAll
    static void threeObjectsAndAHotTail() throws Exception {
        q = TieredQueue.create(ZK, dir, "positions", 1);
        for (int r = 0; r < 3; r++) {
            q.produce(20_000);
            assertThat(q.offloadAndTrim()).isEqualTo(1);
        }
        entries =
                TierIndex.read(q.client().curator(), q.queue(), 0).stream()
                        .map(TierIndex.Registered::entry)
                        .toList();
        assertThat(entries).hasSize(3);
        assertThat(q.inZooKeeper(0, entries.get(2).lastSeq())).isFalse();
    }

    private static Position resolve(StartingPosition start) {
        return q.client().admin().resolvePosition(q.queue(), 0, start);
    }

    /** The first records a consumer reads from {@code start}. */
    private static List<QueueRecord> firstRecords(StartingPosition start, int n) {
        List<QueueRecord> out = new ArrayList<>();
        try (ZkmqConsumer c =
                q.client()
                        .consumer(
                                q.queue(),
                                ConsumerOptions.builder().joinMaintenance(false).build())) {
            c.assign(Map.of(0, start));
            Deadline.await(
                    n + " records from " + start,
                    Duration.ofSeconds(20),
                    () -> {
                        out.addAll(c.poll(Duration.ofMillis(100)));
                        return out.size() >= n;
                    });
        }
        out.forEach(TieredQueue::assertProduced);
        return out.subList(0, n);
    }

    @Test
    void anOffsetInsideATierObjectResolvesToTheBatchHoldingIt() {
        TierObjectEntry second = entries.get(1);
        long offset = second.baseOffset() + 123;
        Position p = resolve(StartingPosition.offset(offset));
        assertThat(p.offset()).isEqualTo(offset);
        assertThat(p.seq()).isBetween(second.firstSeq(), second.lastSeq());
        assertThat(firstRecords(StartingPosition.offset(offset), 3))
                .extracting(QueueRecord::offset)
                .containsExactly(offset, offset + 1, offset + 2);
    }

    @Test
    void theLastOffsetOfAnObjectAndTheFirstAfterTheTierResolve() throws Exception {
        TierObjectEntry first = entries.get(0);
        long last = first.baseOffset() + first.records() - 1;
        assertThat(resolve(StartingPosition.offset(last)))
                .isEqualTo(new Position(first.lastSeq(), last));
        TierHigh high = q.tierHigh(0);
        assertThat(resolve(StartingPosition.offset(high.nextOffset())))
                .isEqualTo(new Position(high.nextSeq(), high.nextOffset()));
    }

    @Test
    void aTimestampInsideATierObjectResolvesToTheFirstRecordAtOrAfterIt() {
        long offset = entries.get(0).baseOffset() + 4_321;
        long timestamp = TieredQueue.BASE_TS + offset; // record i has timestamp BASE_TS + i
        assertThat(resolve(StartingPosition.timestamp(timestamp)).offset()).isEqualTo(offset);
        assertThat(firstRecords(StartingPosition.timestamp(timestamp), 2))
                .extracting(QueueRecord::offset)
                .containsExactly(offset, offset + 1);
    }

    @Test
    void aTimestampAfterAllTieredDataContinuesInZooKeeper() throws Exception {
        long offset = q.tierHigh(0).nextOffset() + 5;
        Position p = resolve(StartingPosition.timestamp(TieredQueue.BASE_TS + offset));
        assertThat(p.offset()).isEqualTo(offset);
        assertThat(q.inZooKeeper(0, p.seq())).isTrue();
    }

    @Test
    void earliestIsLowAndReadsTheFirstTieredRecord() {
        assertThat(resolve(StartingPosition.earliest())).isEqualTo(new Position(0, 0));
        assertThat(firstRecords(StartingPosition.earliest(), 1))
                .extracting(QueueRecord::offset)
                .containsExactly(0L);
    }
}
