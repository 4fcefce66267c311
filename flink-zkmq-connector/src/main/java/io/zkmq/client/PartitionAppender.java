package io.zkmq.client;

import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkmqException;
import io.zkmq.error.ZkmqTimeoutException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.Record;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.ZkmqPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Batches the records of one partition and appends them with the protocol of the design notes:
 * one {@code multi()} creates the batch znode at the next batch number (the deterministic name is
 * the compare-and-set) and moves {@code head} in the same transaction. One append is in flight at a
 * time, which keeps records in order and makes a lost race harmless: on {@code NodeExists} or an
 * unknown outcome ({@code ConnectionLoss}) the batch at that number is read back, and if it carries
 * this producer's id and sequence the append had succeeded; otherwise the head is re-read and the
 * append retried at the new number. So retries never duplicate.
 *
 * <p>Thread-safety: {@link #append} is called by producer threads, callbacks arrive on Curator's
 * event thread; all state is guarded by {@code this}. Futures complete on the event thread.
 */
final class PartitionAppender {
    private final CuratorFramework curator;
    private final String queue;
    private final int partition;
    private final int segmentBatches;
    private final int maxBatchBytes;
    private final int targetBatchBytes;
    private final ProducerContext context;
    private final String headPath;

    private final ArrayDeque<PendingBatch> pending = new ArrayDeque<>();
    private BatchBuilder open;
    private OpenRecords openRecords;
    private ScheduledFuture<?> lingerTimer;
    private boolean inFlight;
    private PartitionHead cachedHead;
    private CompletableFuture<Void> lastBatch = CompletableFuture.completedFuture(null);

    PartitionAppender(ProducerContext context, String queue, int partition, int segmentBatches, int maxBatchBytes,
            int targetBatchBytes) {
        this.context = context;
        this.curator = context.curator();
        this.queue = queue;
        this.partition = partition;
        this.segmentBatches = segmentBatches;
        this.maxBatchBytes = maxBatchBytes;
        this.targetBatchBytes = Math.min(targetBatchBytes, maxBatchBytes);
        this.headPath = ZkmqPaths.head(queue, partition);
    }

    /** Adds a record to the open batch; the future completes when its batch is acknowledged. */
    synchronized CompletableFuture<RecordMetadata> append(Record record, int reservedBytes) {
        if (open == null) {
            openBatch();
        }
        if (!open.tryAppend(record)) {
            seal();
            openBatch();
            open.tryAppend(record); // fits: tryAppend throws RecordTooLarge for records no batch can hold
        }
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        openRecords.add(future, record.timestamp(), reservedBytes);
        if (open.sizeInBytes() >= targetBatchBytes || context.lingerMillis() == 0 && !inFlight) {
            seal();
        }
        startNext();
        return future;
    }

    /** Seals the open batch and returns a future completing when every batch so far has completed. */
    synchronized CompletableFuture<Void> flush() {
        if (open != null && !open.isEmpty()) {
            seal();
            startNext();
        }
        return lastBatch;
    }

    private void openBatch() {
        open = new BatchBuilder(maxBatchBytes, Math.min(targetBatchBytes, 64 * 1024));
        openRecords = new OpenRecords();
        long linger = context.lingerMillis();
        if (linger > 0) {
            BatchBuilder batch = open;
            lingerTimer = context.scheduler().schedule(() -> lingerExpired(batch), linger, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void lingerExpired(BatchBuilder batch) {
        if (open == batch && !open.isEmpty()) {
            seal();
            startNext();
        }
    }

    private void seal() {
        if (lingerTimer != null) {
            lingerTimer.cancel(false);
            lingerTimer = null;
        }
        if (open == null || open.isEmpty()) {
            open = null;
            return;
        }
        PendingBatch batch = new PendingBatch(open.seal(), openRecords, context.nextProducerSequence(),
                System.nanoTime() + context.deliveryTimeoutNanos());
        pending.add(batch);
        lastBatch = batch.done;
        open = null;
        openRecords = null;
    }

    private void startNext() {
        if (inFlight) {
            return;
        }
        if (pending.isEmpty() && open != null && !open.isEmpty() && context.lingerMillis() == 0) {
            seal(); // no linger: whatever accumulated while the last append was in flight goes now
        }
        if (pending.isEmpty()) {
            return;
        }
        inFlight = true;
        attempt(pending.peek(), 0);
    }

    private void attempt(PendingBatch batch, int retry) {
        PartitionHead head;
        synchronized (this) {
            if (System.nanoTime() > batch.deadlineNanos) {
                finishFailed(batch, new ZkmqTimeoutException("Batch of " + batch.sealed.recordCount()
                        + " records to queue '" + queue + "' partition " + partition + " was not acknowledged within the"
                        + " delivery timeout of " + TimeUnit.NANOSECONDS.toMillis(context.deliveryTimeoutNanos()) + " ms"
                        + (batch.lastError == null ? "" : "; last error: " + batch.lastError)));
                return;
            }
            head = cachedHead;
        }
        if (head == null) {
            readHeadThen(batch, retry);
        } else {
            send(batch, head, retry);
        }
    }

    private void readHeadThen(PendingBatch batch, int retry) {
        try {
            curator.getData().inBackground((c, event) -> onHead(batch, retry, event)).forPath(headPath);
        } catch (Exception e) {
            retryLater(batch, retry, e.toString());
        }
    }

    private void onHead(PendingBatch batch, int retry, CuratorEvent event) {
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        if (code == KeeperException.Code.OK) {
            PartitionHead head;
            try {
                head = PartitionHead.fromJson(event.getData(), headPath);
            } catch (ZkmqException e) {
                finishFailed(batch, e);
                return;
            }
            synchronized (this) {
                cachedHead = head;
            }
            long ambiguous = batch.ambiguousSeq;
            if (ambiguous >= 0 && head.nextSeq() > ambiguous) {
                // Our earlier attempt at that number may have been applied after we last looked. The
                // head read just now is fresher (same session, monotonic reads), so the batch stored
                // there is final: check it before appending anywhere else, or we could duplicate.
                verifyStored(batch, ambiguous, retry);
                return;
            }
            send(batch, head, retry);
        } else if (code == KeeperException.Code.NONODE) {
            failAll(new QueueNotFoundException("Queue '" + queue + "' partition " + partition + " does not exist (no znode "
                    + headPath + "); was the queue deleted?"));
        } else if (ZkErrors.isRetriable(code)) {
            retryLater(batch, retry, code.toString());
        } else {
            finishFailed(batch, ZkErrors.translate(code, headPath, "reading the head of queue '" + queue + "' partition " + partition, null));
        }
    }

    private void send(PendingBatch batch, PartitionHead head, int retry) {
        long seq = head.nextSeq();
        SealedBatch sealed = batch.sealed;
        byte[] bytes = sealed.encode(head.nextOffset(), context.producerId(), batch.producerSequence);
        String batchPath = ZkmqPaths.batch(queue, partition, seq, segmentBatches);
        PartitionHead next = head.advance(sealed.recordCount(), sealed.sizeInBytes());
        try {
            List<CuratorOp> ops = new ArrayList<>(3);
            if (seq % segmentBatches == 0) {
                ops.add(curator.transactionOp().create().forPath(ZkmqPaths.segment(queue, partition, seq / segmentBatches),
                        new SegmentInfo(seq, head.nextOffset(), head.nextBytes()).toJson()));
            }
            ops.add(curator.transactionOp().create().forPath(batchPath, bytes));
            ops.add(curator.transactionOp().setData().forPath(headPath, next.toJson()));
            curator.transaction()
                    .inBackground((c, event) -> onAppended(batch, head, next, seq, retry, event))
                    .forOperations(ops);
        } catch (Exception e) {
            retryLater(batch, retry, e.toString());
        }
    }

    private void onAppended(PendingBatch batch, PartitionHead head, PartitionHead next, long seq, int retry, CuratorEvent event) {
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        if (code == KeeperException.Code.OK) {
            synchronized (this) {
                cachedHead = next;
            }
            finishAcknowledged(batch, head.nextOffset());
        } else if (code == KeeperException.Code.NODEEXISTS || ZkErrors.isRetriable(code)) {
            // Lost the race for this number, or the outcome is unknown: look at what is stored there.
            batch.lastError = code.toString();
            batch.ambiguousSeq = seq;
            verifyStored(batch, seq, retry);
        } else if (code == KeeperException.Code.NONODE) {
            // Our cached head pointed into a segment that is gone (trimmed), or the queue was deleted.
            synchronized (this) {
                cachedHead = null;
            }
            batch.lastError = code.toString();
            attempt(batch, retry + 1);
        } else {
            finishFailed(batch, ZkErrors.translate(code, ZkmqPaths.batch(queue, partition, seq, segmentBatches),
                    "appending to queue '" + queue + "' partition " + partition, null));
        }
    }

    private void verifyStored(PendingBatch batch, long seq, int retry) {
        String batchPath = ZkmqPaths.batch(queue, partition, seq, segmentBatches);
        try {
            curator.getData().inBackground((c, event) -> {
                KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
                if (code == KeeperException.Code.OK) {
                    Batch stored;
                    try {
                        stored = Batch.parse(queue, partition, seq, batchPath, event.getData());
                    } catch (ZkmqException e) {
                        stored = null;
                    }
                    if (stored != null && stored.producerId().equals(context.producerId())
                            && stored.producerSequence() == batch.producerSequence) {
                        synchronized (this) {
                            cachedHead = null; // unknown whether more batches followed; re-read before the next append
                        }
                        finishAcknowledged(batch, stored.baseOffset());
                        return;
                    }
                    batch.ambiguousSeq = -1; // the number belongs to another writer: settled
                    synchronized (this) {
                        cachedHead = null;
                    }
                    attempt(batch, retry); // another writer won the number: not an error, no back-off
                } else if (code == KeeperException.Code.NONODE) {
                    synchronized (this) {
                        cachedHead = null;
                    }
                    retryLater(batch, retry, batch.lastError);
                } else {
                    retryLaterVerify(batch, seq, retry, code.toString());
                }
            }).forPath(batchPath);
        } catch (Exception e) {
            retryLaterVerify(batch, seq, retry, e.toString());
        }
    }

    private void retryLaterVerify(PendingBatch batch, long seq, int retry, String error) {
        batch.lastError = error;
        if (System.nanoTime() > batch.deadlineNanos) {
            attempt(batch, retry); // reports the timeout
            return;
        }
        context.scheduler().schedule(() -> verifyStored(batch, seq, retry + 1), backoffMillis(retry), TimeUnit.MILLISECONDS);
    }

    private void retryLater(PendingBatch batch, int retry, String error) {
        batch.lastError = error;
        synchronized (this) {
            cachedHead = null;
        }
        context.scheduler().schedule(() -> attempt(batch, retry + 1), backoffMillis(retry), TimeUnit.MILLISECONDS);
    }

    private static long backoffMillis(int retry) {
        return Math.min(1000, 20L << Math.min(retry, 6));
    }

    private void finishAcknowledged(PendingBatch batch, long baseOffset) {
        synchronized (this) {
            pending.poll();
            inFlight = false;
        }
        context.release(batch.records.reservedBytes);
        batch.records.complete(queue, partition, baseOffset);
        context.recordAcknowledged(batch.sealed.recordCount(), batch.sealed.sizeInBytes());
        batch.done.complete(null);
        synchronized (this) {
            startNext();
        }
    }

    private void finishFailed(PendingBatch batch, ZkmqException error) {
        synchronized (this) {
            pending.poll();
            inFlight = false;
        }
        fail(batch, error);
        synchronized (this) {
            startNext();
        }
    }

    private void fail(PendingBatch batch, ZkmqException error) {
        context.release(batch.records.reservedBytes);
        context.recordFailure(error);
        batch.records.fail(error);
        batch.done.complete(null);
    }

    private void failAll(ZkmqException error) {
        List<PendingBatch> failed;
        synchronized (this) {
            failed = new ArrayList<>(pending);
            pending.clear();
            inFlight = false;
        }
        failed.forEach(b -> fail(b, error));
    }

    /** Futures and timestamps of the records of one batch. */
    private static final class OpenRecords {
        private final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        private long[] timestamps = new long[64];
        private long reservedBytes;

        void add(CompletableFuture<RecordMetadata> future, long timestamp, int reserved) {
            if (futures.size() == timestamps.length) {
                timestamps = java.util.Arrays.copyOf(timestamps, timestamps.length * 2);
            }
            timestamps[futures.size()] = timestamp;
            futures.add(future);
            reservedBytes += reserved;
        }

        void complete(String queue, int partition, long baseOffset) {
            for (int i = 0; i < futures.size(); i++) {
                futures.get(i).complete(new RecordMetadata(queue, partition, baseOffset + i, timestamps[i]));
            }
        }

        void fail(Throwable error) {
            futures.forEach(f -> f.completeExceptionally(error));
        }
    }

    /** A sealed batch waiting for (or in) its append. */
    private static final class PendingBatch {
        final SealedBatch sealed;
        final OpenRecords records;
        final long producerSequence;
        final long deadlineNanos;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile String lastError;
        /** Batch number of an attempt whose outcome is not known yet, or -1. */
        volatile long ambiguousSeq = -1;

        PendingBatch(SealedBatch sealed, OpenRecords records, long producerSequence, long deadlineNanos) {
            this.sealed = sealed;
            this.records = records;
            this.producerSequence = producerSequence;
            this.deadlineNanos = deadlineNanos;
        }
    }

    /** What the appenders of one producer share. */
    interface ProducerContext {
        CuratorFramework curator();

        java.util.concurrent.ScheduledExecutorService scheduler();

        UUID producerId();

        long nextProducerSequence();

        long lingerMillis();

        long deliveryTimeoutNanos();

        void release(long bytes);

        void recordAcknowledged(int records, int bytes);

        void recordFailure(ZkmqException error);
    }
}
