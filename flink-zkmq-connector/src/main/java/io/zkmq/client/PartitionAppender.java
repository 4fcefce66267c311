package io.zkmq.client;

import io.zkmq.error.DeliveryOutcomeUnknownException;
import io.zkmq.error.ZkmqException;
import io.zkmq.error.ZkmqTimeoutException;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.Record;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Batches the records of one partition and appends them with the protocol of the design notes: one
 * {@code multi()} creates the batch znode at the next batch number (the deterministic name is the
 * compare-and-set) and moves {@code head} in the same transaction. One append is in flight at a
 * time, which keeps records in order and makes a lost race harmless: on {@code NodeExists} or an
 * unknown outcome ({@code ConnectionLoss}) the batch at that number is read back, and if it carries
 * this producer's id and sequence the append had succeeded; otherwise the head is re-read and the
 * append retried at the new number. So retries never duplicate.
 *
 * <p>Every request waits for its answer at most until the batch's delivery deadline (a timer per
 * request, {@link GuardedRequest}): Curator may drop a callback, and a future must never hang. An
 * append left without answer counts as an unknown outcome; past the deadline, {@link
 * OutcomeResolver} reads it back, so a batch fails as unknown only when that cannot settle it.
 *
 * <p>This class does the batching and the queue of sealed batches; {@link BatchWriter} writes the
 * batch in flight. Thread-safety: {@link #append} is called by producer threads, callbacks arrive
 * on Curator's event thread and timers on the client's scheduler; the batching state is guarded by
 * {@code this}, futures complete outside the lock.
 */
final class PartitionAppender {
    private final QueuePartition where;
    private final int maxBatchBytes;
    private final int targetBatchBytes;
    private final ProducerContext context;
    private final BatchWriter writer;

    private final ArrayDeque<PendingBatch> pending = new ArrayDeque<>();
    private BatchBuilder open;
    private OpenRecords openRecords;
    private ScheduledFuture<?> lingerTimer;
    private ScheduledFuture<?> watchdog;
    private boolean inFlight;
    private CompletableFuture<Void> lastBatch = CompletableFuture.completedFuture(null);

    PartitionAppender(
            ProducerContext context,
            QueuePartition where,
            int segmentBatches,
            int maxBatchBytes,
            int targetBatchBytes) {
        this.context = context;
        this.where = where;
        this.maxBatchBytes = maxBatchBytes;
        this.targetBatchBytes = Math.min(targetBatchBytes, maxBatchBytes);
        this.writer = new BatchWriter(this, context, where, segmentBatches);
    }

    /** Adds a record to the open batch; the future completes when its batch is acknowledged. */
    CompletableFuture<RecordMetadata> append(Record record, int reservedBytes) {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        Next next;
        synchronized (this) {
            if (open == null) {
                openBatch();
            }
            if (!open.tryAppend(record)) {
                seal();
                openBatch();
                open.tryAppend(
                        record); // fits: tryAppend throws RecordTooLarge for records no batch can
                // hold
            }
            openRecords.add(future, record.timestamp(), reservedBytes);
            if (open.sizeInBytes() >= targetBatchBytes
                    || context.lingerMillis() == 0 && !inFlight) {
                seal();
            }
            next = takeNext();
        }
        run(next);
        return future;
    }

    /**
     * Seals the open batch and returns a future completing when every batch so far has completed.
     */
    CompletableFuture<Void> flush() {
        Next next;
        CompletableFuture<Void> last;
        synchronized (this) {
            if (open != null && !open.isEmpty()) {
                seal();
            }
            next = takeNext();
            last = lastBatch;
        }
        run(next);
        return last;
    }

    private void openBatch() {
        open = new BatchBuilder(maxBatchBytes, Math.min(targetBatchBytes, 64 * 1024));
        openRecords = new OpenRecords();
        long linger = context.lingerMillis();
        if (linger > 0) {
            BatchBuilder batch = open;
            lingerTimer =
                    context.scheduler()
                            .schedule(() -> lingerExpired(batch), linger, TimeUnit.MILLISECONDS);
        }
    }

    private void lingerExpired(BatchBuilder batch) {
        Next next = null;
        synchronized (this) {
            if (open == batch && !open.isEmpty()) {
                seal();
                next = takeNext();
            }
        }
        run(next);
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
        PendingBatch batch =
                new PendingBatch(
                        open.seal(),
                        openRecords,
                        context.nextProducerSequence(),
                        System.nanoTime() + context.deliveryTimeoutNanos());
        pending.add(batch);
        lastBatch = batch.done;
        open = null;
        openRecords = null;
    }

    /**
     * Under the lock: takes the batches that expired before they were ever sent (definitely not
     * written) and the batch to attempt now. A loop, not recursion: thousands may expire at once.
     */
    private Next takeNext() {
        if (inFlight) {
            return null;
        }
        if (pending.isEmpty() && open != null && !open.isEmpty() && context.lingerMillis() == 0) {
            seal(); // no linger: whatever accumulated while the last append was in flight goes now
        }
        if (pending.isEmpty()) {
            return null;
        }
        long now = System.nanoTime();
        List<PendingBatch> expired = List.of();
        PendingBatch head;
        while ((head = pending.peek()) != null && head.expired(now) && head.ambiguousSeq < 0) {
            if (expired.isEmpty()) {
                expired = new ArrayList<>();
            }
            expired.add(pending.poll());
            head.finish();
        }
        inFlight = head != null;
        armWatchdog();
        return new Next(expired, head);
    }

    /** Outside the lock: fails the expired batches, then starts the next attempt. */
    private void run(Next next) {
        if (next == null) {
            return;
        }
        for (PendingBatch batch : next.expired) {
            fail(batch, notWritten(batch));
        }
        if (next.start != null) {
            writer.attempt(next.start, 0);
        }
    }

    void finishAcknowledged(PendingBatch batch, long baseOffset) {
        if (!leaveFlight(batch)) {
            return;
        }
        context.release(batch.records.reservedBytes());
        batch.records.complete(where.queue(), where.partition(), baseOffset);
        context.recordAcknowledged(batch.sealed.recordCount(), batch.sealed.sizeInBytes());
        batch.done.complete(null);
        startNext();
    }

    void finishFailed(PendingBatch batch, ZkmqException error) {
        if (!leaveFlight(batch)) {
            return;
        }
        fail(batch, error);
        startNext();
    }

    /** Takes the in-flight batch out of the queue, unless the watchdog already finished it. */
    private synchronized boolean leaveFlight(PendingBatch batch) {
        if (!batch.finish()) {
            return false;
        }
        pending.remove(batch);
        inFlight = false;
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
        return true;
    }

    /** Under the lock: a timer at the queue head's deadline plus the read-back margin. */
    private void armWatchdog() {
        PendingBatch head = pending.peek();
        if (watchdog != null || head == null) {
            return;
        }
        long delay = head.deadlineNanos + context.resolveMarginNanos() - System.nanoTime();
        watchdog =
                context.watchdogs()
                        .schedule(
                                () -> watchdogFired(head),
                                Math.max(0, delay),
                                TimeUnit.NANOSECONDS);
    }

    /**
     * The bound of last resort: Curator can block the thread that submits a request (while it
     * replaces an expired session's handle), which would hold up the append chain. The head batch
     * and the expired never-sent batches behind it fail here, on the watchdog thread; the chain of
     * the head stops at its next step ({@link PendingBatch#isFinished}).
     */
    private void watchdogFired(PendingBatch head) {
        List<PendingBatch> failed = new ArrayList<>();
        synchronized (this) {
            watchdog = null;
            if (pending.peek() != head || !head.finish()) {
                armWatchdog();
                return;
            }
            failed.add(pending.poll());
            long now = System.nanoTime();
            PendingBatch next;
            while ((next = pending.peek()) != null
                    && next.expired(now)
                    && next.ambiguousSeq < 0
                    && next.finish()) {
                failed.add(pending.poll());
            }
            inFlight = false;
            armWatchdog();
        }
        for (PendingBatch batch : failed) {
            fail(
                    batch,
                    notWritten(
                            batch)); // fail() turns it into "unknown" for a batch with an unsettled
            // append
        }
        context.scheduler().execute(this::startNext);
    }

    /**
     * Under the lock, before an append is submitted: marks the batch as possibly written at {@code
     * seq}, so a watchdog firing from now on reports it unknown. False if it finished already.
     */
    synchronized boolean markSubmitting(PendingBatch batch, long seq) {
        if (batch.isFinished()) {
            return false;
        }
        batch.ambiguousSeq = seq;
        return true;
    }

    private void startNext() {
        Next next;
        synchronized (this) {
            next = takeNext();
        }
        run(next);
    }

    private void fail(PendingBatch batch, ZkmqException error) {
        if (batch.ambiguousSeq >= 0 && !(error instanceof DeliveryOutcomeUnknownException)) {
            error = writer.unknown(batch, error); // an earlier attempt may have been applied
        }
        context.release(batch.records.reservedBytes());
        context.recordFailure(error);
        batch.records.fail(error);
        batch.done.complete(null);
    }

    /** Fails every record not acknowledged yet, the open batch's too: the client has failed. */
    void failEverything(ZkmqException error) {
        synchronized (this) {
            seal();
        }
        failAll(error);
    }

    void failAll(ZkmqException error) {
        List<PendingBatch> failed;
        synchronized (this) {
            failed = new ArrayList<>(pending);
            pending.clear();
            inFlight = false;
        }
        failed.forEach(b -> fail(b, error));
    }

    /** Definitely not written: no attempt of the batch can still be applied. */
    ZkmqTimeoutException notWritten(PendingBatch batch) {
        return new ZkmqTimeoutException(
                "Batch of "
                        + batch.sealed.recordCount()
                        + " records to "
                        + where
                        + " was not written: not acknowledged within the delivery timeout of "
                        + TimeUnit.NANOSECONDS.toMillis(context.deliveryTimeoutNanos())
                        + " ms"
                        + (batch.lastError == null ? "" : "; last error: " + batch.lastError));
    }

    /** Batches to fail (never sent, past their deadline) and the batch to attempt next. */
    private record Next(List<PendingBatch> expired, PendingBatch start) {}
}
