package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.CorruptBatchException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A materialized reference batch reads exactly as readers resolve the reference today. */
class MaterializedBatchTest {
    private static final UUID PRODUCER = UUID.fromString("2a6aeac5-a0b6-45a2-821d-a0c3bbd1e2f4");
    private static final String STAGED_PATH =
            ZkmqPaths.stagedBatch("orders", 0, "etl-0-4", "a71e9841957bf0ae", 0);
    private static final String REF_PATH = ZkmqPaths.batch("orders", 0, 57, 100);

    private static byte[] staged() {
        BatchBuilder b = new BatchBuilder(4096, 256);
        b.tryAppend(
                new Record(
                        "k1".getBytes(),
                        "first".getBytes(),
                        List.of(Header.of("trace", "t1")),
                        2000));
        b.tryAppend(new Record(null, null, List.of(), 1990));
        b.tryAppend(new Record("k3".getBytes(), new byte[0], List.of(new Header("n", null)), 2010));
        return b.seal().encode(0, PRODUCER, 11).clone();
    }

    @Test
    void materializedBatchHasTheResolvedOffsetsTimestampsAndRecordsWithAFreshCrc() {
        byte[] staged = staged();
        StagedBatch sb = new StagedBatch(STAGED_PATH, 3, staged.length, 2000, 2010, PRODUCER, 11);
        Batch reference = Batch.parse("orders", 0, 57, REF_PATH, ReferenceBatch.encode(1234, sb));
        Batch resolved =
                reference.resolve(staged, STAGED_PATH); // what ZkmqConsumer hands out today

        byte[] materialized = MaterializedBatch.encode(reference, staged);
        Batch plain = Batch.parse("orders", 0, 57, "tier", materialized); // verifies the new CRC32C

        assertThat(plain.isReference()).isFalse();
        assertThat(plain.baseOffset()).isEqualTo(resolved.baseOffset()).isEqualTo(1234);
        assertThat(plain.recordCount()).isEqualTo(resolved.recordCount());
        assertThat(plain.firstTimestamp()).isEqualTo(resolved.firstTimestamp());
        assertThat(plain.maxTimestamp()).isEqualTo(resolved.maxTimestamp());
        assertThat(plain.producerId()).isEqualTo(resolved.producerId());
        assertThat(plain.producerSequence()).isEqualTo(resolved.producerSequence());
        assertThat(plain.sizeInBytes()).isEqualTo(resolved.sizeInBytes());
        assertThat(plain.records())
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(resolved.records());
        assertThat(plain.records())
                .extracting(QueueRecord::offset)
                .containsExactly(1234L, 1235L, 1236L);
    }

    @Test
    void stagedBatchThatDoesNotMatchTheReferenceIsRefusedAsTheReaderRefusesIt() {
        byte[] staged = staged();
        StagedBatch other =
                new StagedBatch(STAGED_PATH, 3, staged.length, 2000, 2010, PRODUCER, 12);
        Batch reference =
                Batch.parse("orders", 0, 57, REF_PATH, ReferenceBatch.encode(1234, other));
        assertThatThrownBy(() -> MaterializedBatch.encode(reference, staged))
                .isInstanceOf(CorruptBatchException.class)
                .hasMessageContaining(STAGED_PATH)
                .hasMessageContaining("does not match");
    }
}
