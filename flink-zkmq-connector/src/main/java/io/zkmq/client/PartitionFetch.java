package io.zkmq.client;

import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.BatchFormat;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.ZkmqPaths;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;

/**
 * Fetch state of one partition. Batch numbers are requested in order; responses are put in order
 * through {@code arrived}; the first missing number turns the partition to waiting, or, if it was
 * offloaded and deleted from ZooKeeper ({@link MissingBatchCheck}), to tier mode: a {@link
 * TierCursor} then delivers batches into the same prefetch slots until the tier's end, and reading
 * goes back to ZooKeeper. Used by {@link Fetcher}, which owns one per assigned partition.
 */
final class PartitionFetch implements FetchedBatch.Owner, TierCursor.Host {
    private final CuratorFramework curator;
    private final String queue;
    private final int segmentBatches;
    private final int prefetch;
    private final FetchQueue ready;
    private final BooleanSupplier fetcherClosed;
    private final Predicate<PartitionFetch> current;
    private final int partition;
    private final QueuePartition where;
    private final StagedReferences references;
    private final TierAccess tierAccess;
    private TierCursor tier; // non-null in tier mode
    private long nextRequest; // next batch number to request
    private long nextDeliver; // next batch number to hand to the reader
    private long fromOffset; // first offset wanted in batch nextDeliver
    private int outstanding; // requested or unread
    private boolean waiting; // caught up, exists watch armed
    private boolean stopped;
    private int generation; // invalidates responses issued before a wait
    private final TreeMap<Long, Arrival> arrived = new TreeMap<>();

    /**
     * A fetch result waiting for its turn: the batch's bytes and, for a reference, the staged
     * batch's.
     */
    private record Arrival(
            KeeperException.Code code,
            byte[] data,
            byte[] staged,
            String stagedPath,
            TierHigh inTier) {
        Arrival(KeeperException.Code code, byte[] data, byte[] staged, String stagedPath) {
            this(code, data, staged, stagedPath, null);
        }
    }

    PartitionFetch(
            FetchSettings settings,
            int partition,
            Position position,
            StagedReferences references,
            BooleanSupplier fetcherClosed,
            Predicate<PartitionFetch> current) {
        this.curator = settings.curator();
        this.queue = settings.queue();
        this.segmentBatches = settings.segmentBatches();
        this.prefetch = settings.prefetch();
        this.ready = settings.ready();
        this.fetcherClosed = fetcherClosed;
        this.current = current;
        this.partition = partition;
        this.where = new QueuePartition(queue, partition);
        this.references = references;
        this.tierAccess = settings.tier();
        this.nextRequest = position.seq();
        this.nextDeliver = position.seq();
        this.fromOffset = position.offset();
    }

    synchronized void issue() {
        if (tier != null) {
            tier.pump();
            return;
        }
        while (!stopped && !waiting && !fetcherClosed.getAsBoolean() && outstanding < prefetch) {
            long seq = nextRequest++;
            outstanding++;
            int gen = generation;
            try {
                curator.getData().inBackground((c, e) -> onData(seq, gen, e)).forPath(path(seq));
            } catch (Exception e) {
                fail(new ZkmqException("Cannot fetch batch " + seq + " of " + where, e));
                return;
            }
        }
    }

    private synchronized void onData(long seq, int gen, CuratorEvent event) {
        if (stopped || gen != generation) {
            return;
        }
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        byte[] data = event.getData();
        if (code == KeeperException.Code.OK && Batch.looksLikeReference(data)) {
            // An exactly-once commit: fetch the staged batch it stands for before delivering.
            String stagedPath =
                    new String(
                            data,
                            BatchFormat.HEADER_LENGTH_V1,
                            data.length - BatchFormat.HEADER_LENGTH_V1,
                            StandardCharsets.UTF_8);
            try {
                curator.getData()
                        .inBackground((c, e) -> onStaged(seq, gen, data, stagedPath, e))
                        .forPath(stagedPath);
            } catch (Exception e) {
                fail(MissingBatchCheck.unreadableStaged(where, seq, stagedPath, e));
            }
            return;
        }
        arrive(seq, new Arrival(code, data, null, null));
    }

    private synchronized void onStaged(
            long seq, int gen, byte[] reference, String stagedPath, CuratorEvent event) {
        if (stopped || gen != generation) {
            return;
        }
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        if (code == KeeperException.Code.NONODE) {
            failMissingStaged(seq, gen, stagedPath);
            return;
        }
        arrive(
                seq,
                new Arrival(
                        code,
                        reference,
                        code == KeeperException.Code.OK ? event.getData() : null,
                        stagedPath));
    }

    private void arrive(long seq, Arrival arrival) {
        arrived.put(seq, arrival);
        while (!arrived.isEmpty() && arrived.firstKey() == nextDeliver) {
            Arrival a = arrived.pollFirstEntry().getValue();
            if (a.inTier() != null) {
                enterTier(a.inTier());
                return;
            }
            KeeperException.Code code = a.code();
            if (code == KeeperException.Code.OK) {
                ready.offer(
                        FetchedBatch.zooKeeper(
                                this,
                                where,
                                nextDeliver,
                                path(nextDeliver),
                                fromOffset,
                                a.data(),
                                a.staged(),
                                a.stagedPath()));
                nextDeliver++;
                fromOffset = 0;
            } else if (code == KeeperException.Code.NONODE) {
                startWaiting();
                return;
            } else if (ZkErrors.isRetriable(code)) {
                // Connection trouble: re-request from here once the connection is back.
                startWaiting();
                return;
            } else {
                fail(ZkErrors.translate(code, path(nextDeliver), "fetching " + where, null));
                return;
            }
        }
    }

    /**
     * A reference whose staged batch is gone: trimmed by retention (out of range), offloaded and
     * trimmed from ZooKeeper (read it from the tier), else corrupt.
     */
    private void failMissingStaged(long seq, int gen, String stagedPath) {
        MissingBatchCheck.check(
                curator,
                where,
                seq,
                verdict -> {
                    synchronized (this) {
                        if (stopped || gen != generation) {
                            return;
                        }
                        if (verdict instanceof MissingBatchCheck.Trimmed t) {
                            fail(t.error());
                        } else if (verdict instanceof MissingBatchCheck.InTier t) {
                            arrive(seq, new Arrival(null, null, null, null, t.high()));
                        } else if (verdict instanceof MissingBatchCheck.Failed f
                                && f.connectionTrouble()) {
                            arrive(
                                    seq,
                                    new Arrival(
                                            KeeperException.Code.CONNECTIONLOSS, null, null, null));
                        } else if (verdict instanceof MissingBatchCheck.Failed f) {
                            fail(f.error());
                        } else {
                            fail(MissingBatchCheck.missingStaged(where, seq, stagedPath));
                        }
                    }
                });
    }

    /** Caught up (or unsure): drop later requests and watch the next batch's znode. */
    private void startWaiting() {
        generation++;
        arrived.clear();
        outstanding = ready.countOwnedBy(this);
        nextRequest = nextDeliver;
        waiting = true;
        long seq = nextDeliver;
        int gen = generation;
        try {
            curator.checkExists()
                    .usingWatcher((org.apache.zookeeper.Watcher) (WatchedEvent w) -> onWatch(gen))
                    .inBackground((c, e) -> onExists(seq, gen, e))
                    .forPath(path(seq));
        } catch (Exception e) {
            fail(new ZkmqException("Cannot watch batch " + seq + " of " + where, e));
        }
    }

    private void onExists(long seq, int gen, CuratorEvent event) {
        KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
        if (code == KeeperException.Code.OK) {
            resume(gen); // created between our read and the watch
        } else if (code == KeeperException.Code.NONODE) {
            checkTrimmed(seq, gen);
        }
        // Connection errors: the RECONNECTED listener kicks this partition.
    }

    /**
     * A missing batch is not written yet, trimmed ({@code low} tells), or offloaded and trimmed
     * from ZooKeeper ({@code tierHigh} tells).
     */
    private void checkTrimmed(long seq, int gen) {
        MissingBatchCheck.check(
                curator,
                where,
                seq,
                verdict -> {
                    synchronized (this) {
                        if (stopped || gen != generation || !waiting) {
                            return;
                        }
                        if (verdict instanceof MissingBatchCheck.Trimmed t) {
                            fail(t.error());
                        } else if (verdict instanceof MissingBatchCheck.InTier t) {
                            enterTier(t.high());
                        } else if (verdict instanceof MissingBatchCheck.Failed f
                                && !f.connectionTrouble()) {
                            fail(f.error());
                        }
                        // Not written yet: the watch fires when it is. Connection trouble: the
                        // RECONNECTED listener kicks this partition.
                    }
                });
    }

    /** Switches to tier mode at {@code nextDeliver}, dropping the ZooKeeper reads in flight. */
    private void enterTier(TierHigh high) {
        generation++;
        arrived.clear();
        outstanding = ready.countOwnedBy(this);
        nextRequest = nextDeliver;
        waiting = false;
        tier = new TierCursor(tierAccess, this, partition, nextDeliver, high.nextSeq());
        tier.pump();
    }

    @Override
    public synchronized boolean reserve(TierCursor cursor) {
        if (!wantsMore(cursor)) {
            return false;
        }
        outstanding++;
        return true;
    }

    @Override
    public synchronized boolean wantsMore(TierCursor cursor) {
        return !stopped
                && tier == cursor
                && !fetcherClosed.getAsBoolean()
                && outstanding < prefetch;
    }

    @Override
    public synchronized void unreserve(TierCursor cursor) {
        if (tier == cursor) {
            outstanding--;
        }
    }

    @Override
    public synchronized void deliver(TierCursor cursor, Batch batch, String objectPath) {
        if (stopped || tier != cursor) {
            return; // re-assigned or stopped meanwhile: stale
        }
        ready.offer(new FetchedBatch(this, queue, partition, objectPath, batch, fromOffset));
        nextDeliver = batch.seq() + 1;
        nextRequest = nextDeliver;
        fromOffset = 0;
    }

    @Override
    public synchronized void ended(TierCursor cursor) {
        if (stopped || tier != cursor) {
            return;
        }
        outstanding--;
        tier = null;
        issue(); // ZooKeeper again: a miss there re-reads tierHigh
    }

    @Override
    public synchronized void failed(TierCursor cursor, ZkmqException error) {
        if (tier == cursor) {
            outstanding--;
            fail(error);
        }
    }

    private void onWatch(int gen) {
        resume(gen);
    }

    synchronized void kick() {
        if (waiting) {
            resume(generation);
        }
    }

    private synchronized void resume(int gen) {
        if (stopped || gen != generation || !waiting) {
            return;
        }
        waiting = false;
        generation++;
        issue();
    }

    @Override
    public StagedReferences stagedReferences() {
        return references;
    }

    @Override
    public boolean isCurrent() {
        return current.test(this);
    }

    @Override
    public synchronized void release() {
        outstanding--;
        issue();
    }

    private synchronized void fail(ZkmqException error) {
        if (stopped) {
            return;
        }
        stopped = true;
        closeTier();
        ready.offer(
                FetchedBatch.failed(
                        this, where, nextDeliver, path(nextDeliver), fromOffset, error));
    }

    synchronized void stop() {
        stopped = true;
        arrived.clear();
        closeTier();
    }

    private void closeTier() {
        if (tier != null) {
            tier.close();
            tier = null;
        }
    }

    private String path(long seq) {
        return ZkmqPaths.batch(queue, partition, seq, segmentBatches);
    }
}
