package io.zkmq.queue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * The operations of one append to a partition, as data (design notes, section 4): for each batch,
 * the segment znode when the batch starts a segment and the batch znode at the head's next batch
 * number; then the head moved past every batch. Run as one {@code multi()}. The deterministic batch
 * name is the compare-and-set, so the head is written at any version. The producer appends one
 * batch per plan, the exactly-once commit several reference batches plus its own operations.
 *
 * <p>Pure and cheap (a few small objects per plan, nothing per record): it sits on the producer's
 * hot path.
 */
@Internal
public final class AppendPlan {
    private final PartitionHead head;
    private final PartitionHead next;
    private final List<ZnodeOp> ops;

    private AppendPlan(PartitionHead head, PartitionHead next, List<ZnodeOp> ops) {
        this.head = head;
        this.next = next;
        this.ops = ops;
    }

    /**
     * Starts a plan appending at {@code head} to a partition whose segments hold {@code
     * segmentBatches} batches.
     */
    public static Builder at(String queue, int partition, int segmentBatches, PartitionHead head) {
        return new Builder(queue, partition, segmentBatches, head);
    }

    /** The plan of one batch whose bytes count fully: the producer's append. */
    public static AppendPlan ofBatch(
            String queue,
            int partition,
            int segmentBatches,
            PartitionHead head,
            byte[] batch,
            int records) {
        return at(queue, partition, segmentBatches, head)
                .append(batch, records, batch.length)
                .build();
    }

    /** The head this plan appends at: its first batch number and the first batch's base offset. */
    public PartitionHead head() {
        return head;
    }

    /** The head once the plan is applied. */
    public PartitionHead next() {
        return next;
    }

    /**
     * The operations, in order, for one {@code multi()}; the head update is the last. Unmodifiable.
     */
    public List<ZnodeOp> ops() {
        return ops;
    }

    /** Collects the batches of one plan. Not thread-safe; single use. */
    public static final class Builder {
        private final String queue;
        private final int partition;
        private final int segmentBatches;
        private final PartitionHead head;
        private final List<ZnodeOp> ops = new ArrayList<>(3);
        private PartitionHead next;
        private boolean built;

        private Builder(String queue, int partition, int segmentBatches, PartitionHead head) {
            if (segmentBatches <= 0) {
                throw new IllegalArgumentException(
                        "segmentBatches must be positive, was "
                                + segmentBatches
                                + " (queue '"
                                + queue
                                + "' partition "
                                + partition
                                + ")");
            }
            this.queue = queue;
            this.partition = partition;
            this.segmentBatches = segmentBatches;
            this.head = head;
            this.next = head;
        }

        /**
         * Where the next batch lands: {@code nextSeq} is its batch number, {@code nextOffset} its
         * base offset (encode the batch with it before {@link #append}).
         */
        public PartitionHead next() {
            return next;
        }

        /**
         * Appends a batch at {@link #next()}.
         *
         * @param records the records the batch holds
         * @param bytes the bytes it adds to the partition's size: its own, or for a reference batch
         *     those of the staged batch it stands for
         */
        public Builder append(byte[] batch, int records, int bytes) {
            requireOpen();
            long seq = next.nextSeq();
            if (seq % segmentBatches == 0) {
                ops.add(
                        new ZnodeOp.Create(
                                ZkmqPaths.segment(queue, partition, seq / segmentBatches),
                                new SegmentInfo(seq, next.nextOffset(), next.nextBytes())
                                        .toJson()));
            }
            ops.add(
                    new ZnodeOp.Create(
                            ZkmqPaths.batch(queue, partition, seq, segmentBatches), batch));
            next = next.advance(records, bytes);
            return this;
        }

        /**
         * Adds an operation that must succeed with the append, in order with the batches (a check,
         * an index entry).
         */
        public Builder with(ZnodeOp op) {
            requireOpen();
            ops.add(op);
            return this;
        }

        /** The plan: the operations so far and the head update. */
        public AppendPlan build() {
            requireOpen();
            if (next == head) {
                throw new IllegalStateException(
                        "An append to queue '"
                                + queue
                                + "' partition "
                                + partition
                                + " needs at least one batch");
            }
            built = true;
            ops.add(
                    new ZnodeOp.SetData(
                            ZkmqPaths.head(queue, partition), next.toJson(), ZnodeOp.ANY_VERSION));
            return new AppendPlan(head, next, Collections.unmodifiableList(ops));
        }

        private void requireOpen() {
            if (built) {
                throw new IllegalStateException(
                        "The append plan of queue '"
                                + queue
                                + "' partition "
                                + partition
                                + " was already built");
            }
        }
    }
}
