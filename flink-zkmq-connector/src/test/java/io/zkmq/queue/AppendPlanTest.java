package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operations of an append, as data: what the producer's and the commit's {@code multi()}
 * contain.
 */
class AppendPlanTest {
    private static final String QUEUE = "orders";
    private static final int PARTITION = 3;
    private static final int SEGMENT_BATCHES = 10;
    private static final String HEAD = "/queues/orders/partitions/3/head";

    private static byte[] bytes(int n) {
        return new byte[n];
    }

    @Test
    void batchStartingASegmentCreatesTheSegmentWithWhereItStarts() {
        PartitionHead head = new PartitionHead(20, 700, 9000);
        byte[] batch = bytes(100);

        AppendPlan plan = AppendPlan.ofBatch(QUEUE, PARTITION, SEGMENT_BATCHES, head, batch, 5);

        List<ZnodeOp> ops = plan.ops();
        assertThat(ops).hasSize(3);
        ZnodeOp.Create segment = (ZnodeOp.Create) ops.get(0);
        assertThat(segment.path()).isEqualTo("/queues/orders/partitions/3/seg/0000000000000000002");
        assertThat(SegmentInfo.fromJson(segment.data(), segment.path()))
                .isEqualTo(new SegmentInfo(20, 700, 9000));
        ZnodeOp.Create created = (ZnodeOp.Create) ops.get(1);
        assertThat(created.path())
                .isEqualTo(
                        "/queues/orders/partitions/3/seg/0000000000000000002/0000000000000000020");
        assertThat(created.data())
                .isSameAs(batch); // not copied: batches are large and on the hot path
    }

    @Test
    void batchInsideASegmentCreatesOnlyTheBatchAndMovesTheHead() {
        PartitionHead head = new PartitionHead(21, 705, 9100);

        AppendPlan plan =
                AppendPlan.ofBatch(QUEUE, PARTITION, SEGMENT_BATCHES, head, bytes(100), 5);

        assertThat(plan.ops())
                .extracting(ZnodeOp::path)
                .containsExactly(
                        "/queues/orders/partitions/3/seg/0000000000000000002/0000000000000000021",
                        HEAD);
        assertThat(plan.ops().get(0)).isInstanceOf(ZnodeOp.Create.class);
    }

    @Test
    void headAdvancesByOneBatchItsRecordsAndItsBytesAndIsWrittenAtAnyVersion() {
        PartitionHead head = new PartitionHead(21, 705, 9100);

        AppendPlan plan =
                AppendPlan.ofBatch(QUEUE, PARTITION, SEGMENT_BATCHES, head, bytes(100), 5);

        assertThat(plan.head()).isEqualTo(head);
        assertThat(plan.next()).isEqualTo(new PartitionHead(22, 710, 9200));
        ZnodeOp.SetData update = (ZnodeOp.SetData) plan.ops().get(plan.ops().size() - 1);
        assertThat(update.path()).isEqualTo(HEAD);
        assertThat(update.version())
                .isEqualTo(ZnodeOp.ANY_VERSION); // the batch name is the compare-and-set
        assertThat(PartitionHead.fromJson(update.data(), HEAD)).isEqualTo(plan.next());
    }

    @Test
    void severalBatchesTakeConsecutiveNumbersAndOffsetsAndMoveTheHeadOnce() {
        PartitionHead head = new PartitionHead(8, 100, 5000);
        AppendPlan.Builder builder = AppendPlan.at(QUEUE, PARTITION, SEGMENT_BATCHES, head);
        long[] baseOffsets = new long[4];
        for (int i = 0; i < 4; i++) {
            baseOffsets[i] = builder.next().nextOffset();
            builder.append(bytes(10), 3, 64);
        }

        AppendPlan plan = builder.build();

        assertThat(baseOffsets).containsExactly(100, 103, 106, 109);
        assertThat(plan.next()).isEqualTo(new PartitionHead(12, 112, 5256));
        // Batches 8 and 9 end segment 0; 10 starts segment 1, so its segment znode comes right
        // before it.
        assertThat(plan.ops())
                .extracting(ZnodeOp::path)
                .containsExactly(
                        "/queues/orders/partitions/3/seg/0000000000000000000/0000000000000000008",
                        "/queues/orders/partitions/3/seg/0000000000000000000/0000000000000000009",
                        "/queues/orders/partitions/3/seg/0000000000000000001",
                        "/queues/orders/partitions/3/seg/0000000000000000001/0000000000000000010",
                        "/queues/orders/partitions/3/seg/0000000000000000001/0000000000000000011",
                        HEAD);
        ZnodeOp.Create segment = (ZnodeOp.Create) plan.ops().get(2);
        assertThat(SegmentInfo.fromJson(segment.data(), segment.path()))
                .isEqualTo(new SegmentInfo(10, 106, 5128));
        assertThat(plan.ops()).filteredOn(op -> op instanceof ZnodeOp.SetData).hasSize(1);
    }

    @Test
    void bytesCountedAreTheOnesGivenNotTheLengthOfTheReference() {
        // A reference batch is small; the partition grows by the staged batch it stands for.
        AppendPlan plan =
                AppendPlan.at(QUEUE, PARTITION, SEGMENT_BATCHES, PartitionHead.EMPTY)
                        .append(bytes(90), 1000, 250_000)
                        .build();

        assertThat(plan.next()).isEqualTo(new PartitionHead(1, 1000, 250_000));
    }

    @Test
    void extraOperationsStayInOrderWithTheBatchesBeforeTheHeadUpdate() {
        byte[] staged = "/queues/orders/partitions/3/staged/t.a.0".getBytes(StandardCharsets.UTF_8);
        AppendPlan.Builder builder =
                AppendPlan.at(QUEUE, PARTITION, SEGMENT_BATCHES, new PartitionHead(5, 50, 500));

        AppendPlan plan =
                builder.with(
                                new ZnodeOp.Check(
                                        "/queues/orders/partitions/3/staged/t.a.0",
                                        ZnodeOp.ANY_VERSION))
                        .append(bytes(90), 2, 20)
                        .with(new ZnodeOp.Create(ZkmqPaths.reference(QUEUE, PARTITION, 5), staged))
                        .build();

        assertThat(plan.ops())
                .extracting(op -> op.getClass().getSimpleName() + " " + op.path())
                .containsExactly(
                        "Check /queues/orders/partitions/3/staged/t.a.0",
                        "Create /queues/orders/partitions/3/seg/0000000000000000000/0000000000000000005",
                        "Create /queues/orders/partitions/3/refs/0000000000000000005",
                        "SetData " + HEAD);
    }

    @Test
    void planIsUnmodifiableAndTheBuilderIsSingleUse() {
        AppendPlan.Builder builder =
                AppendPlan.at(QUEUE, PARTITION, SEGMENT_BATCHES, PartitionHead.EMPTY)
                        .append(bytes(1), 1, 1);
        AppendPlan plan = builder.build();

        assertThatThrownBy(() -> plan.ops().add(new ZnodeOp.Delete("/x", 0)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> builder.append(bytes(1), 1, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("queue 'orders' partition 3");
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void planWithoutBatchesIsRefusedNamingThePartition() {
        AppendPlan.Builder builder =
                AppendPlan.at(QUEUE, PARTITION, SEGMENT_BATCHES, PartitionHead.EMPTY);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("queue 'orders' partition 3")
                .hasMessageContaining("at least one batch");
    }

    @Test
    void nonPositiveSegmentSizeIsRefused() {
        assertThatThrownBy(() -> AppendPlan.at(QUEUE, PARTITION, 0, PartitionHead.EMPTY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segmentBatches");
    }
}
