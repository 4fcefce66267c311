package io.zkmq.tier;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.queue.Batch;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.TierObjectFooter;
import io.zkmq.testing.TierTestBatches;
import io.zkmq.testing.TierTestBatches.Stored;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many batches through a real (local) file system and Flink's FileSystem API: write, open, find by
 * seq, offset and timestamp, read back every record exactly.
 */
class TierObjectRoundTripTest {
    private static final String QUEUE = "orders";
    private static final int PARTITION = 3;
    private static final long FIRST_SEQ = 1_200;
    private static final long BASE_OFFSET = 50_000;

    @TempDir static java.nio.file.Path dir;

    private static List<Stored> batches;
    private static TierObjectStore store;
    private static WrittenTierObject written;
    private static TierObjectReader reader;

    @BeforeAll
    static void writeOneObject() {
        // ~100k records of 16 KiB batches (a few hundred batches); every 10th batch an exactly-once
        // reference.
        batches =
                TierTestBatches.generate(
                        QUEUE, PARTITION, FIRST_SEQ, BASE_OFFSET, 100_000, 16 * 1024, 10, 42);
        store = new TierObjectStore(new Path(dir.toUri()), "zkmq");
        written =
                store.write(
                        QUEUE,
                        PARTITION,
                        FIRST_SEQ,
                        w -> {
                            for (Stored b : batches) {
                                b.appendTo(w);
                            }
                        });
        reader = store.open(QUEUE, PARTITION, written.path());
    }

    private static Stored last() {
        return batches.get(batches.size() - 1);
    }

    @Test
    void writesUnderTheDeterministicNameWithARandomAttempt() {
        assertThat(batches.size()).isBetween(200, 1000);
        assertThat(written.relativePath())
                .matches("zkmq/orders/3/0000000000000001200-[0-9a-f]{16}\\.zkseg");
        assertThat(written.path())
                .isEqualTo(new Path(new Path(dir.toUri()), written.relativePath()));
        assertThat(store.list(QUEUE, PARTITION))
                .extracting(ListedTierObject::path)
                .containsExactly(written.path());
    }

    @Test
    void footerDescribesTheBatchesAndTheIndexEntryMatchesIt() {
        TierObjectFooter f = reader.footer();
        assertThat(f).isEqualTo(written.footer());
        assertThat(f.firstSeq()).isEqualTo(FIRST_SEQ);
        assertThat(f.lastSeq()).isEqualTo(last().seq());
        assertThat(f.baseOffset()).isEqualTo(BASE_OFFSET);
        assertThat(f.recordCount()).isEqualTo(100_000);
        List<Long> timestamps =
                batches.stream().flatMap(b -> b.records().stream()).map(Record::timestamp).toList();
        assertThat(f.minTimestamp())
                .isEqualTo(timestamps.stream().mapToLong(Long::longValue).min().orElseThrow());
        assertThat(f.maxTimestamp())
                .isEqualTo(timestamps.stream().mapToLong(Long::longValue).max().orElseThrow());
        assertThat(reader.index().size()).isEqualTo((batches.size() + 7) / 8);

        TierObjectEntry entry = written.indexEntry(0, 1);
        assertThat(entry.path()).isEqualTo(written.relativePath());
        assertThat(entry.bytes())
                .isEqualTo(
                        java.nio.file.Path.of(dir.toString(), written.relativePath())
                                .toFile()
                                .length());
        assertThat(entry.matches(reader.footer())).isTrue();
    }

    @Test
    void iteratesEveryBatchWithDenseOffsetsAndExactContent() {
        List<QueueRecord> read = new ArrayList<>();
        long seq = FIRST_SEQ;
        try (TierBatchIterator it = reader.batches()) {
            while (it.hasNext()) {
                Batch b = it.next();
                assertThat(b.seq()).isEqualTo(seq++);
                assertThat(b.isReference()).isFalse();
                read.addAll(b.records());
            }
        }
        assertThat(seq).isEqualTo(last().seq() + 1);
        assertThat(read)
                .extracting(QueueRecord::offset)
                .containsExactlyElementsOf(
                        LongStream.range(BASE_OFFSET, BASE_OFFSET + 100_000).boxed().toList());
        List<Record> expected = batches.stream().flatMap(b -> b.records().stream()).toList();
        assertThat(read).extracting(QueueRecord::record).containsExactlyElementsOf(expected);
        assertThat(read).allSatisfy(r -> assertThat(r.queue()).isEqualTo(QUEUE));
    }

    @Test
    void findsBatchesBySeq() {
        for (int i :
                new int[] {
                    0, 1, 7, 8, 9, batches.size() / 2, batches.size() - 2, batches.size() - 1
                }) {
            Stored want = batches.get(i);
            assertThat(firstBatch(reader.fromSeq(want.seq())))
                    .as("seq %d", want.seq())
                    .satisfies(b -> assertThat(b.seq()).isEqualTo(want.seq()))
                    .satisfies(b -> assertThat(b.baseOffset()).isEqualTo(want.baseOffset()));
        }
        assertThat(reader.fromSeq(FIRST_SEQ - 1)).isEmpty();
        assertThat(reader.fromSeq(last().seq() + 1)).isEmpty();
    }

    @Test
    void findsTheBatchHoldingAnOffset() {
        Stored middle = batches.get(batches.size() / 2);
        long[] offsets = {
            BASE_OFFSET,
            BASE_OFFSET + 1,
            middle.baseOffset(),
            middle.baseOffset() + middle.records().size() - 1,
            middle.nextOffset(),
            last().baseOffset(),
            BASE_OFFSET + 99_999
        };
        for (long offset : offsets) {
            Stored want =
                    batches.stream()
                            .filter(b -> b.baseOffset() <= offset && offset < b.nextOffset())
                            .findFirst()
                            .orElseThrow();
            assertThat(firstBatch(reader.fromOffset(offset)).seq())
                    .as("offset %d", offset)
                    .isEqualTo(want.seq());
        }
        assertThat(reader.fromOffset(BASE_OFFSET - 1)).isEmpty();
        assertThat(reader.fromOffset(BASE_OFFSET + 100_000)).isEmpty();
    }

    @Test
    void findsTheFirstBatchThatMayHoldATimestamp() {
        long min = reader.footer().minTimestamp();
        long max = reader.footer().maxTimestamp();
        Stored middle = batches.get(batches.size() / 2);
        long[] timestamps = {
            Long.MIN_VALUE,
            min - 1,
            min,
            min + 1,
            middle.records().get(0).timestamp(),
            middle.maxTimestamp(),
            middle.maxTimestamp() + 1,
            max - 1,
            max
        };
        for (long t : timestamps) {
            // What ZooKeeper readers look for: the first batch whose max timestamp reaches t.
            Stored want =
                    batches.stream().filter(b -> b.maxTimestamp() >= t).findFirst().orElseThrow();
            assertThat(firstBatch(reader.fromTimestamp(t)).seq())
                    .as("timestamp %d", t)
                    .isEqualTo(want.seq());
        }
        assertThat(reader.fromTimestamp(max + 1)).isEmpty();
        assertThat(reader.fromTimestamp(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void iteratesFromALookupToTheEnd() {
        Stored from = batches.get(batches.size() - 5);
        try (TierBatchIterator it = reader.fromSeq(from.seq()).orElseThrow()) {
            List<Long> seqs = new ArrayList<>();
            it.forEachRemaining(b -> seqs.add(b.seq()));
            assertThat(seqs)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(from.seq(), last().seq()).boxed().toList());
        }
    }

    private static Batch firstBatch(Optional<TierBatchIterator> iterator) {
        assertThat(iterator).isPresent();
        try (TierBatchIterator it = iterator.get()) {
            return it.next();
        }
    }
}
