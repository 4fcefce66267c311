package io.zkmq.client;

import io.zkmq.coordination.TierIndex;
import io.zkmq.error.CorruptObjectException;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.error.TierObjectNotFoundException;
import io.zkmq.error.TierUnavailableException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueuePartition;
import io.zkmq.tier.TierBatchIterator;
import io.zkmq.tier.TierObjectReader;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tier mode of one partition: reads its batches from {@code nextSeq} up to the tier's end as read
 * when the partition switched ({@code end}, a {@code tierHigh.nextSeq}) out of the registered tier
 * objects, object after object, and hands them to its {@link Host} one at a time, each only once
 * the host granted a prefetch slot. Then the host goes back to ZooKeeper.
 *
 * <p>Runs on the {@link TierAccess} pool, one task at a time per cursor ({@code scheduled}), so the
 * open object and stream are confined to that task; the host's lock is never held during I/O.
 * Memory: one object's footer and index, one read buffer ({@link
 * io.zkmq.tier.TierObjectStore#DEFAULT_READ_BUFFER_BYTES}), and the batches the host holds.
 */
final class TierCursor {
    private static final Logger LOG = LoggerFactory.getLogger(TierCursor.class);

    /** The partition's fetch state, which owns the prefetch slots and the delivery order. */
    interface Host {
        /** Takes a prefetch slot for the next batch; false if none is free or this is stale. */
        boolean reserve(TierCursor cursor);

        /** Whether a slot is free for a still current cursor. */
        boolean wantsMore(TierCursor cursor);

        /** Delivers the next batch into the slot reserved for it. */
        void deliver(TierCursor cursor, Batch batch, String objectPath);

        /** Gives back the slot without a batch (a retry follows). */
        void unreserve(TierCursor cursor);

        /** The tier's end as read is reached: give back the slot and read ZooKeeper again. */
        void ended(TierCursor cursor);

        /** Gives back the slot and reports an error for the partition. */
        void failed(TierCursor cursor, ZkmqException error);
    }

    private final TierAccess access;
    private final Host host;
    private final QueuePartition where;
    private final long end;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;

    // Confined to the running task.
    private long nextSeq;
    private TierIndex.Registered entry;
    private TierObjectReader reader;
    private TierBatchIterator batches;
    private int failedAttempts;

    TierCursor(TierAccess access, Host host, int partition, long nextSeq, long end) {
        this.access = access;
        this.host = host;
        this.where = new QueuePartition(access.queue(), partition);
        this.nextSeq = nextSeq;
        this.end = end;
    }

    /**
     * Makes sure a task runs if the host has a free slot (or to release the stream after close).
     */
    void pump() {
        if (!scheduled.compareAndSet(false, true)) {
            return; // the running task re-checks before it ends
        }
        try {
            access.pool().execute(this::run);
        } catch (RejectedExecutionException e) {
            // The fetcher is closing: no task runs, so the stream is ours to close.
            closeObject();
            scheduled.set(false);
        }
    }

    /** The partition left tier mode (stopped, re-assigned): release the open object. */
    void close() {
        closed = true;
        pump();
    }

    private void run() {
        boolean retrying = false;
        try {
            retrying = readWhileSlotsAreFree();
        } catch (RuntimeException | LinkageError e) {
            // Never end the task without telling the partition: it would wait forever.
            closeObject();
            host.failed(
                    this, new ZkmqException("Reading the tier of " + where + " failed: " + e, e));
        } finally {
            if (!retrying) {
                boolean open = batches != null;
                scheduled.set(false);
                // A slot freed, or a close while an object is open, between our last check and now
                // found us still scheduled: run again. A closed cursor with nothing open is done.
                if ((closed && open) || host.wantsMore(this)) {
                    pump();
                }
            }
        }
    }

    /** True if a retry was scheduled (and the task stays scheduled until it runs). */
    private boolean readWhileSlotsAreFree() {
        while (true) {
            if (closed) {
                closeObject();
                return false;
            }
            if (!host.reserve(this)) {
                return false;
            }
            Batch batch;
            try {
                batch = next();
            } catch (TierUnavailableException e) {
                closeObject(); // the retry re-opens from nextSeq
                host.unreserve(this);
                if (++failedAttempts < TierAccess.ATTEMPTS) {
                    long pause = TierAccess.FIRST_BACKOFF.toMillis() << (failedAttempts - 1);
                    LOG.warn(
                            "Reading batch {} of {} from the tier failed (attempt {} of {}), retrying in {} ms: {}",
                            nextSeq,
                            where,
                            failedAttempts,
                            TierAccess.ATTEMPTS,
                            pause,
                            e.getMessage());
                    return scheduleRetry(pause);
                }
                failedAttempts = 0; // a re-assign after the error starts counting again
                host.failed(this, unavailable(e));
                return false;
            } catch (ZkmqException e) {
                closeObject();
                host.failed(this, e);
                return false;
            } catch (Exception e) {
                closeObject();
                host.failed(this, ZkErrors.translate(e, "reading the tier index of " + where));
                return false;
            }
            if (batch == null) {
                closeObject();
                host.ended(this);
                return false;
            }
            failedAttempts = 0;
            host.deliver(this, batch, reader.path().toString());
        }
    }

    /** The next batch from the tier; null once {@code end} is reached. */
    private Batch next() throws Exception {
        while (true) {
            if (batches != null && batches.hasNext()) {
                Batch b = batches.next();
                nextSeq = b.seq() + 1;
                return b;
            }
            closeObject();
            if (nextSeq >= end) {
                return null;
            }
            openAt(nextSeq);
        }
    }

    private void openAt(long seq) throws Exception {
        TierIndex.Registered found = access.entryFor(where.partition(), seq).orElse(null);
        if (found == null || found.entry().lastSeq() < seq) {
            throw missingEntry(seq);
        }
        entry = found;
        try {
            reader = access.open(where.partition(), found);
            batches =
                    reader.fromSeq(seq)
                            .orElseThrow(
                                    () ->
                                            new CorruptObjectException(
                                                    "Corrupt tier object "
                                                            + reader.path()
                                                            + " of "
                                                            + where
                                                            + ": registered at "
                                                            + found.znode()
                                                            + " for batches "
                                                            + found.entry().firstSeq()
                                                            + ".."
                                                            + found.entry().lastSeq()
                                                            + ", but it has no batch "
                                                            + seq));
        } catch (TierObjectNotFoundException e) {
            throw missingObject(seq, found, e);
        }
    }

    /**
     * No index entry holds {@code seq}: retention deleted it (it moves low first), or the tier
     * index has a gap.
     */
    private ZkmqException missingEntry(long seq) throws Exception {
        PartitionLow low = access.readLow(where.partition());
        if (seq < low.lowSeq()) {
            return trimmed(seq, low, "its tier object was deleted");
        }
        return new io.zkmq.error.CorruptBatchException(
                "No tier index entry of "
                        + where
                        + " holds batch "
                        + seq
                        + ", which is above low (batch "
                        + low.lowSeq()
                        + ") and below the tier's end (batch "
                        + end
                        + ") and no longer in ZooKeeper: the tier index has a gap");
    }

    /** The registered object is gone: retention deleted it (out of range), or it was lost. */
    private ZkmqException missingObject(
            long seq, TierIndex.Registered found, TierObjectNotFoundException e) throws Exception {
        PartitionLow low = access.readLow(where.partition());
        if (seq < low.lowSeq()) {
            return trimmed(seq, low, "its tier object " + found.entry().path() + " was deleted");
        }
        return new TierObjectNotFoundException(
                "Tier object "
                        + found.entry().path()
                        + " of "
                        + where
                        + " (tier "
                        + access.tierUri()
                        + "), registered at "
                        + found.znode()
                        + " for batches "
                        + found.entry().firstSeq()
                        + ".."
                        + found.entry().lastSeq()
                        + ", does not exist, but batch "
                        + seq
                        + " is inside retention (low is batch "
                        + low.lowSeq()
                        + "): "
                        + e.getMessage(),
                e);
    }

    private OffsetOutOfRangeException trimmed(long seq, PartitionLow low, String how) {
        return new OffsetOutOfRangeException(
                "batch "
                        + seq
                        + " of "
                        + where
                        + " was trimmed by retention ("
                        + how
                        + "); the earliest readable offset is "
                        + low.lowOffset()
                        + " (batch "
                        + low.lowSeq()
                        + ")");
    }

    private TierUnavailableException unavailable(TierUnavailableException e) {
        return new TierUnavailableException(
                "Cannot read batch "
                        + nextSeq
                        + " of "
                        + where
                        + " from tier object "
                        + (entry == null ? "(not found yet)" : entry.entry().path())
                        + " in tier "
                        + access.tierUri()
                        + " after "
                        + TierAccess.ATTEMPTS
                        + " attempts: "
                        + e.getMessage(),
                e);
    }

    private boolean scheduleRetry(long pauseMillis) {
        try {
            access.pool().schedule(this::run, pauseMillis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // the fetcher is closing
        }
    }

    private void closeObject() {
        if (batches != null) {
            batches.close();
        }
        batches = null;
        reader = null;
    }
}
