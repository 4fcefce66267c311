package io.zkmq.client;

import io.zkmq.error.DeliveryOutcomeUnknownException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.AppendPlan;
import io.zkmq.queue.Batch;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.ZkmqPaths;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;

/**
 * Writes the in-flight batch of one partition with the append protocol described on {@link
 * PartitionAppender}: read head (cached between appends), one {@code multi()} at the next batch
 * number, read back on {@code NodeExists} or an unknown outcome, retry with back-off. Only one
 * batch is in flight per partition, so the calls form a single chain and never overlap.
 */
final class BatchWriter {
    private final PartitionAppender appender;
    private final ProducerContext context;
    private final CuratorFramework curator;
    private final QueuePartition where;
    private final int segmentBatches;
    private final String headPath;
    private final OutcomeResolver readBack;
    private volatile PartitionHead cachedHead;

    BatchWriter(
            PartitionAppender appender,
            ProducerContext context,
            QueuePartition where,
            int segmentBatches) {
        this.appender = appender;
        this.context = context;
        this.curator = context.curator();
        this.where = where;
        this.segmentBatches = segmentBatches;
        this.headPath = ZkmqPaths.head(where.queue(), where.partition());
        this.readBack = new OutcomeResolver(appender, this, context, where, segmentBatches);
    }

    void attempt(PendingBatch batch, int retry) {
        if (batch.isFinished()) {
            return; // the deadline watchdog failed it
        }
        if (batch.expired(System.nanoTime())) {
            if (batch.ambiguousSeq < 0) {
                appender.finishFailed(batch, appender.notWritten(batch));
            } else {
                readBack.resolve(batch);
            }
            return;
        }
        PartitionHead head = cachedHead;
        if (head == null) {
            readHeadThen(batch, retry);
        } else {
            send(batch, head, retry);
        }
    }

    private void readHeadThen(PendingBatch batch, int retry) {
        GuardedRequest.getData(
                curator,
                context.scheduler(),
                requestTimeoutNanos(batch),
                headPath,
                event -> onHead(batch, retry, event),
                reason -> retryLater(batch, retry, reason));
    }

    private void onHead(PendingBatch batch, int retry, CuratorEvent event) {
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        if (code == KeeperException.Code.OK) {
            PartitionHead head;
            try {
                head = PartitionHead.fromJson(event.getData(), headPath);
            } catch (ZkmqException e) {
                appender.finishFailed(batch, e);
                return;
            }
            cachedHead = head;
            long ambiguous = batch.ambiguousSeq;
            if (ambiguous >= 0 && head.nextSeq() > ambiguous) {
                // Our earlier attempt at that number may have been applied after we last looked.
                // The
                // head read just now is fresher (same session, monotonic reads), so the batch
                // stored
                // there is final: check it before appending anywhere else, or we could duplicate.
                verifyStored(batch, ambiguous, retry);
                return;
            }
            send(batch, head, retry);
        } else if (code == KeeperException.Code.NONODE) {
            appender.failAll(
                    new QueueNotFoundException(
                            "Queue '"
                                    + where.queue()
                                    + "' partition "
                                    + where.partition()
                                    + " does not exist (no znode "
                                    + headPath
                                    + "); was the queue deleted?"));
        } else if (ZkErrors.isRetriable(code)) {
            retryLater(batch, retry, code.toString());
        } else {
            appender.finishFailed(
                    batch,
                    ZkErrors.translate(code, headPath, "reading the head of " + where, null));
        }
    }

    private void send(PendingBatch batch, PartitionHead head, int retry) {
        long seq = head.nextSeq();
        SealedBatch sealed = batch.sealed;
        byte[] bytes =
                sealed.encode(head.nextOffset(), context.producerId(), batch.producerSequence);
        AppendPlan plan =
                AppendPlan.ofBatch(
                        where.queue(),
                        where.partition(),
                        segmentBatches,
                        head,
                        bytes,
                        sealed.recordCount());
        PartitionHead next = plan.next();
        // No answer in time is an unknown outcome like ConnectionLoss: the append may still be
        // applied.
        long previousAmbiguous = batch.ambiguousSeq;
        if (!appender.markSubmitting(batch, seq)) {
            return;
        }
        GuardedRequest request =
                GuardedRequest.start(
                        context.scheduler(),
                        requestTimeoutNanos(batch),
                        () ->
                                onUnknownOutcome(
                                        batch,
                                        seq,
                                        retry,
                                        noAnswer("appending at " + batchPath(seq))));
        try {
            curator.transaction()
                    .inBackground(
                            (c, event) -> {
                                if (request.claim()) {
                                    onAppended(
                                            batch,
                                            head,
                                            next,
                                            seq,
                                            previousAmbiguous,
                                            retry,
                                            event);
                                }
                            })
                    .forOperations(CuratorOps.of(curator, plan.ops()));
        } catch (Exception e) {
            if (request.claim()) {
                batch.ambiguousSeq = previousAmbiguous; // not submitted
                retryLater(batch, retry, e.toString());
            }
        }
    }

    private void onAppended(
            PendingBatch batch,
            PartitionHead head,
            PartitionHead next,
            long seq,
            long previousAmbiguous,
            int retry,
            CuratorEvent event) {
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        if (code == KeeperException.Code.OK) {
            cachedHead = next;
            appender.finishAcknowledged(batch, head.nextOffset());
        } else if (code == KeeperException.Code.NODEEXISTS || ZkErrors.isRetriable(code)) {
            // Lost the race for this number, or the outcome is unknown: look at what is stored
            // there.
            onUnknownOutcome(batch, seq, retry, code.toString());
        } else if (code == KeeperException.Code.NONODE) {
            // Our cached head pointed into a segment that is gone (trimmed), or the queue was
            // deleted.
            cachedHead = null;
            batch.ambiguousSeq = previousAmbiguous; // the multi failed as a whole
            batch.lastError = code.toString();
            attempt(batch, retry + 1);
        } else {
            batch.ambiguousSeq = previousAmbiguous; // the multi failed as a whole
            appender.finishFailed(
                    batch, ZkErrors.translate(code, batchPath(seq), "appending to " + where, null));
        }
    }

    private void onUnknownOutcome(PendingBatch batch, long seq, int retry, String error) {
        batch.lastError = error;
        batch.ambiguousSeq = seq;
        verifyStored(batch, seq, retry);
    }

    private void verifyStored(PendingBatch batch, long seq, int retry) {
        if (batch.isFinished()) {
            return;
        }
        if (batch.expired(System.nanoTime())) {
            attempt(
                    batch,
                    retry); // past the deadline only reading back is left: the read-back settles it
            return;
        }
        String batchPath = batchPath(seq);
        GuardedRequest.getData(
                curator,
                context.scheduler(),
                requestTimeoutNanos(batch),
                batchPath,
                event -> onStored(batch, seq, retry, batchPath, event),
                reason -> retryLaterVerify(batch, seq, retry, reason));
    }

    private void onStored(
            PendingBatch batch, long seq, int retry, String batchPath, CuratorEvent event) {
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        if (code == KeeperException.Code.OK) {
            Batch stored = readBack.parse(seq, batchPath, event.getData());
            forgetHead(); // unknown whether more batches followed; re-read before the next append
            if (readBack.isOurs(stored, batch)) {
                appender.finishAcknowledged(batch, stored.baseOffset());
                return;
            }
            batch.ambiguousSeq = -1; // the number belongs to another writer: settled
            attempt(batch, retry); // another writer won the number: not an error, no back-off
        } else if (code == KeeperException.Code.NONODE) {
            retryLater(batch, retry, batch.lastError);
        } else {
            retryLaterVerify(batch, seq, retry, code.toString());
        }
    }

    private void retryLaterVerify(PendingBatch batch, long seq, int retry, String error) {
        batch.lastError = error;
        context.scheduler()
                .schedule(
                        () -> verifyStored(batch, seq, retry + 1),
                        backoffMillis(retry),
                        TimeUnit.MILLISECONDS);
    }

    private void retryLater(PendingBatch batch, int retry, String error) {
        batch.lastError = error;
        forgetHead();
        context.scheduler()
                .schedule(
                        () -> attempt(batch, retry + 1),
                        backoffMillis(retry),
                        TimeUnit.MILLISECONDS);
    }

    static long backoffMillis(int retry) {
        return Math.min(1000, 20L << Math.min(retry, 6));
    }

    /**
     * How long a request of this batch may wait for its answer: up to its deadline, at most the
     * request timeout.
     */
    private long requestTimeoutNanos(PendingBatch batch) {
        return Math.min(batch.deadlineNanos - System.nanoTime(), context.requestTimeoutNanos());
    }

    private String noAnswer(String what) {
        return "no answer "
                + what
                + " within "
                + TimeUnit.NANOSECONDS.toMillis(context.requestTimeoutNanos())
                + " ms";
    }

    private String batchPath(long seq) {
        return ZkmqPaths.batch(where.queue(), where.partition(), seq, segmentBatches);
    }

    void forgetHead() {
        cachedHead = null;
    }

    /** The failure for a batch with an unresolved ambiguous append: its records may be stored. */
    DeliveryOutcomeUnknownException unknown(PendingBatch batch, ZkmqException cause) {
        return readBack.unknown(batch, cause);
    }
}
