package io.zkmq.client;

import io.zkmq.error.DeliveryOutcomeUnknownException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.ZkmqPaths;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;

/**
 * Settles a batch that passed its delivery deadline while an append of it had an unknown outcome.
 * It only reads, never appends again, for at most the read-back margin after the deadline: once
 * {@code head} has moved past the batch number of that append (monotonic reads within the session
 * make the batch stored there final), the batch there decides. Ours: acknowledged with its real
 * offsets. Another writer's: ours was definitely not written. Unsettled when the margin runs out:
 * the batch fails with {@link DeliveryOutcomeUnknownException}.
 */
final class OutcomeResolver {
    private final PartitionAppender appender;
    private final BatchWriter writer;
    private final ProducerContext context;
    private final CuratorFramework curator;
    private final QueuePartition where;
    private final int segmentBatches;
    private final String headPath;

    OutcomeResolver(
            PartitionAppender appender,
            BatchWriter writer,
            ProducerContext context,
            QueuePartition where,
            int segmentBatches) {
        this.appender = appender;
        this.writer = writer;
        this.context = context;
        this.curator = context.curator();
        this.where = where;
        this.segmentBatches = segmentBatches;
        this.headPath = ZkmqPaths.head(where.queue(), where.partition());
    }

    /**
     * Reads head, then the batch slot of the batch's ambiguous append, retrying until the margin
     * ends.
     */
    void resolve(PendingBatch batch) {
        resolve(batch, 0);
    }

    private void resolve(PendingBatch batch, int retry) {
        if (batch.isFinished()) {
            return; // the deadline watchdog failed it
        }
        long left = batch.deadlineNanos + context.resolveMarginNanos() - System.nanoTime();
        if (left <= 0) {
            appender.finishFailed(batch, unknown(batch, null));
            return;
        }
        long seq = batch.ambiguousSeq;
        GuardedRequest.getData(
                curator,
                context.scheduler(),
                Math.min(left, context.requestTimeoutNanos()),
                headPath,
                event -> onHead(batch, seq, retry, event),
                reason -> later(batch, retry, reason));
    }

    private void onHead(PendingBatch batch, long seq, int retry, CuratorEvent event) {
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        if (code != KeeperException.Code.OK) {
            later(batch, retry, code + " reading " + headPath);
            return;
        }
        PartitionHead head;
        try {
            head = PartitionHead.fromJson(event.getData(), headPath);
        } catch (ZkmqException e) {
            later(batch, retry, e.getMessage());
            return;
        }
        if (head.nextSeq() <= seq) {
            // Nothing final at that number yet: a retry of the append still queued in Curator may
            // land there.
            later(
                    batch,
                    retry,
                    "head of partition "
                            + where.partition()
                            + " has not passed batch number "
                            + seq
                            + " yet");
            return;
        }
        readSlot(batch, seq, retry);
    }

    private void readSlot(PendingBatch batch, long seq, int retry) {
        String batchPath = ZkmqPaths.batch(where.queue(), where.partition(), seq, segmentBatches);
        long left = batch.deadlineNanos + context.resolveMarginNanos() - System.nanoTime();
        GuardedRequest.getData(
                curator,
                context.scheduler(),
                Math.min(left, context.requestTimeoutNanos()),
                batchPath,
                event -> onSlot(batch, seq, retry, batchPath, event),
                reason -> later(batch, retry, reason));
    }

    private void onSlot(
            PendingBatch batch, long seq, int retry, String batchPath, CuratorEvent event) {
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        if (code != KeeperException.Code.OK) {
            // NoNode with head past it: trimmed by retention, so nothing tells any more what was
            // there.
            later(batch, retry, code + " reading " + batchPath);
            return;
        }
        Batch stored = parse(seq, batchPath, event.getData());
        writer.forgetHead();
        if (isOurs(stored, batch)) {
            appender.finishAcknowledged(batch, stored.baseOffset());
        } else {
            batch.ambiguousSeq = -1; // another writer's batch holds the number for good
            appender.finishFailed(batch, appender.notWritten(batch));
        }
    }

    private void later(PendingBatch batch, int retry, String error) {
        batch.lastError = error;
        long left = batch.deadlineNanos + context.resolveMarginNanos() - System.nanoTime();
        long delay =
                Math.max(
                        0,
                        Math.min(
                                TimeUnit.MILLISECONDS.toNanos(BatchWriter.backoffMillis(retry)),
                                left));
        context.scheduler().schedule(() -> resolve(batch, retry + 1), delay, TimeUnit.NANOSECONDS);
    }

    /** The stored batch, or null if it does not parse (then it is not ours). */
    Batch parse(long seq, String batchPath, byte[] data) {
        try {
            return Batch.parse(where.queue(), where.partition(), seq, batchPath, data);
        } catch (ZkmqException e) {
            return null;
        }
    }

    boolean isOurs(Batch stored, PendingBatch batch) {
        return stored != null
                && stored.producerId().equals(context.producerId())
                && stored.producerSequence() == batch.producerSequence;
    }

    /**
     * The records may or may not be stored: an append of them got no definite answer and reading
     * back did not settle it.
     */
    DeliveryOutcomeUnknownException unknown(PendingBatch batch, Throwable cause) {
        long seq = batch.ambiguousSeq;
        return new DeliveryOutcomeUnknownException(
                "Batch of "
                        + batch.sealed.recordCount()
                        + " records to "
                        + where
                        + " may or may not be stored: the append at batch number "
                        + seq
                        + " (znode "
                        + ZkmqPaths.batch(where.queue(), where.partition(), seq, segmentBatches)
                        + ") got no definite answer, and reading it back"
                        + " did not settle it within the delivery timeout of "
                        + TimeUnit.NANOSECONDS.toMillis(context.deliveryTimeoutNanos())
                        + " ms plus "
                        + TimeUnit.NANOSECONDS.toMillis(context.resolveMarginNanos())
                        + " ms; resending may duplicate"
                        + " the records"
                        + (batch.lastError == null ? "" : "; last error: " + batch.lastError),
                cause);
    }
}
