package io.zkmq.testing;

import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.Header;
import io.zkmq.queue.Record;
import io.zkmq.queue.ReferenceBatch;
import io.zkmq.queue.StagedBatch;
import io.zkmq.queue.TierObjectWriter;
import io.zkmq.queue.ZkmqPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Consecutive batches of one partition as ZooKeeper stores them, for tier object tests: plain
 * batches and, optionally, exactly-once reference batches with the staged batches they stand for.
 */
public final class TierTestBatches {
    public static final int SEGMENT_BATCHES = 100;

    /**
     * One stored batch: its bytes at its znode, the staged batch's bytes for a reference, and the
     * records readers see.
     */
    public record Stored(
            long seq,
            String path,
            byte[] data,
            byte[] staged,
            long baseOffset,
            List<Record> records) {
        public void appendTo(TierObjectWriter writer) throws IOException {
            if (staged == null) {
                writer.append(seq, path, data);
            } else {
                writer.appendReference(seq, path, data, staged);
            }
        }

        public long maxTimestamp() {
            return records.stream().mapToLong(Record::timestamp).max().orElseThrow();
        }

        public long nextOffset() {
            return baseOffset + records.size();
        }
    }

    private TierTestBatches() {}

    /**
     * {@code recordCount} records from batch {@code firstSeq} and offset {@code baseOffset} on, in
     * batches of at most {@code maxBatchBytes}; every {@code referenceEvery}-th batch (0 = none) is
     * a reference batch. Keys, values, headers and timestamps vary (timestamps jitter, so batch
     * maxima are not monotone); deterministic for a seed.
     */
    public static List<Stored> generate(
            String queue,
            int partition,
            long firstSeq,
            long baseOffset,
            int recordCount,
            int maxBatchBytes,
            int referenceEvery,
            long seed) {
        Random random = new Random(seed);
        UUID producer = new UUID(random.nextLong(), random.nextLong());
        List<Stored> out = new ArrayList<>();
        List<Record> pending = new ArrayList<>();
        BatchBuilder builder = new BatchBuilder(maxBatchBytes, maxBatchBytes);
        long seq = firstSeq;
        long offset = baseOffset;
        for (int i = 0; i < recordCount; i++) {
            Record r = record(i, random);
            if (!builder.tryAppend(r)) {
                out.add(
                        seal(
                                queue,
                                partition,
                                seq,
                                offset,
                                builder,
                                pending,
                                producer,
                                referenceEvery));
                offset += pending.size();
                seq++;
                pending = new ArrayList<>();
                builder = new BatchBuilder(maxBatchBytes, maxBatchBytes);
                builder.tryAppend(r);
            }
            pending.add(r);
        }
        out.add(seal(queue, partition, seq, offset, builder, pending, producer, referenceEvery));
        return out;
    }

    private static Record record(int i, Random random) {
        byte[] key = i % 17 == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
        byte[] value = i % 23 == 0 ? null : new byte[random.nextInt(40)];
        if (value != null) {
            random.nextBytes(value);
        }
        List<Header> headers =
                i % 5 == 0 ? List.of(Header.of("h", "x" + i), new Header("n", null)) : List.of();
        long timestamp = 1_700_000_000_000L + i * 10L + random.nextInt(101) - 50;
        return new Record(key, value, headers, timestamp);
    }

    private static Stored seal(
            String queue,
            int partition,
            long seq,
            long offset,
            BatchBuilder builder,
            List<Record> records,
            UUID producer,
            int referenceEvery) {
        String path = ZkmqPaths.batch(queue, partition, seq, SEGMENT_BATCHES);
        List<Record> copy = List.copyOf(records);
        if (referenceEvery > 0 && seq % referenceEvery == referenceEvery - 1) {
            // As an exactly-once commit stores it: staged with base offset 0, referenced at the
            // real offset.
            String stagedPath =
                    ZkmqPaths.stagedBatch(queue, partition, "etl-0-" + seq, "a71e9841957bf0ae", 0);
            byte[] staged = builder.seal().encode(0, producer, seq).clone();
            StagedBatch sb =
                    new StagedBatch(
                            stagedPath,
                            copy.size(),
                            staged.length,
                            copy.get(0).timestamp(),
                            copy.stream().mapToLong(Record::timestamp).max().orElseThrow(),
                            producer,
                            seq);
            return new Stored(seq, path, ReferenceBatch.encode(offset, sb), staged, offset, copy);
        }
        byte[] data = builder.seal().encode(offset, producer, seq);
        return new Stored(seq, path, Arrays.copyOf(data, data.length), null, offset, copy);
    }
}
