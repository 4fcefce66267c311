package io.zkmq.client;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.BatchFormat;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
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
 * through {@code arrived}; the first missing number turns the partition to waiting. Used by {@link
 * Fetcher}, which owns one per assigned partition.
 */
final class PartitionFetch implements FetchedBatch.Owner {
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
            KeeperException.Code code, byte[] data, byte[] staged, String stagedPath) {}

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
        this.nextRequest = position.seq();
        this.nextDeliver = position.seq();
        this.fromOffset = position.offset();
    }

    synchronized void issue() {
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
                fail(
                        new CorruptBatchException(
                                "Batch "
                                        + seq
                                        + " of "
                                        + where
                                        + " references an unreadable staged batch path '"
                                        + stagedPath
                                        + "': "
                                        + e.getMessage()));
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
            failMissingStaged(seq, stagedPath);
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
            KeeperException.Code code = a.code();
            if (code == KeeperException.Code.OK) {
                ready.offer(
                        new FetchedBatch(
                                this,
                                queue,
                                partition,
                                nextDeliver,
                                path(nextDeliver),
                                a.data(),
                                fromOffset,
                                null,
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
     * A reference whose staged batch is gone: trimmed by retention (out of range), else corrupt.
     */
    private void failMissingStaged(long seq, String stagedPath) {
        String lowPath = ZkmqPaths.low(queue, partition);
        try {
            curator.getData()
                    .inBackground(
                            (c, e) -> {
                                PartitionLow low =
                                        KeeperException.Code.get(e.getResultCode())
                                                        == KeeperException.Code.OK
                                                ? PartitionLow.fromJson(e.getData(), lowPath)
                                                : null;
                                if (low != null && seq < low.lowSeq()) {
                                    fail(
                                            new OffsetOutOfRangeException(
                                                    "batch "
                                                            + seq
                                                            + " of "
                                                            + where
                                                            + " was trimmed by retention; the earliest readable offset is "
                                                            + low.lowOffset()
                                                            + " (batch "
                                                            + low.lowSeq()
                                                            + ")"));
                                } else {
                                    fail(
                                            new CorruptBatchException(
                                                    "Batch "
                                                            + seq
                                                            + " of "
                                                            + where
                                                            + " references staged batch "
                                                            + stagedPath
                                                            + ", which does not exist"));
                                }
                            })
                    .forPath(lowPath);
        } catch (Exception e) {
            fail(new ZkmqException("Cannot read " + lowPath, e));
        }
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

    /** A missing batch is either not written yet, or trimmed: {@code low} tells which. */
    private void checkTrimmed(long seq, int gen) {
        String lowPath = ZkmqPaths.low(queue, partition);
        try {
            curator.getData()
                    .inBackground(
                            (c, e) -> {
                                KeeperException.Code code =
                                        KeeperException.Code.get(e.getResultCode());
                                if (code == KeeperException.Code.OK) {
                                    PartitionLow low = PartitionLow.fromJson(e.getData(), lowPath);
                                    if (seq < low.lowSeq()) {
                                        fail(
                                                new OffsetOutOfRangeException(
                                                        "batch "
                                                                + seq
                                                                + " of "
                                                                + where
                                                                + " was trimmed by retention; the earliest readable offset is "
                                                                + low.lowOffset()
                                                                + " (batch "
                                                                + low.lowSeq()
                                                                + ")"));
                                    }
                                } else if (code == KeeperException.Code.NONODE) {
                                    fail(
                                            new io.zkmq.error.QueueNotFoundException(
                                                    "Queue '"
                                                            + queue
                                                            + "' partition "
                                                            + partition
                                                            + " no longer exists (no znode "
                                                            + lowPath
                                                            + ")"));
                                }
                            })
                    .forPath(lowPath);
        } catch (Exception e) {
            fail(new ZkmqException("Cannot read " + lowPath, e));
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
        ready.offer(
                new FetchedBatch(
                        this,
                        queue,
                        partition,
                        nextDeliver,
                        path(nextDeliver),
                        null,
                        fromOffset,
                        error,
                        null,
                        null));
    }

    synchronized void stop() {
        stopped = true;
        arrived.clear();
    }

    private String path(long seq) {
        return ZkmqPaths.batch(queue, partition, seq, segmentBatches);
    }
}
