package io.zkmq.source.reader;

import io.zkmq.client.FetchQueue;
import io.zkmq.client.FetchedBatch;
import io.zkmq.client.Fetcher;
import io.zkmq.client.ZkmqClient;
import io.zkmq.connector.PermanentFailure;
import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.split.ZkmqSplit;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsRemoval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the splits of one reader through one {@link FetchQueue} shared by a {@link Fetcher} per
 * queue (prefetching, watching for new batches instead of polling). A split is fetched only once
 * {@link PartitionLocks} holds its lease; that happens on the lease thread, so {@link #fetch} never
 * blocks on a lease. Each {@link #fetch} returns the records of one batch.
 */
final class ZkmqSplitReader implements SplitReader<ZkmqSourceRecord, ZkmqSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqSplitReader.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** Fetch progress of one split (fetcher thread writes; metric threads read). */
    static final class Progress {
        final ZkmqSplit split;
        volatile long nextOffset = -1; // -1 until the lock is taken and the start resolved
        volatile long headOffset = -1;

        Progress(ZkmqSplit split) {
            this.split = split;
        }
    }

    private final ZkmqClient client;
    private final PartitionLocks locks;
    private final int prefetch;
    private final boolean resetOutOfRange;
    private final ZkmqSourceReaderMetrics metrics;
    private final FetchQueue ready = new FetchQueue();
    private final Map<String, Fetcher> fetchers = new HashMap<>();
    private final Map<String, Progress> progress;
    private final ConcurrentLinkedQueue<Runnable> lockEvents = new ConcurrentLinkedQueue<>();
    private final Set<String> finishedNow = new TreeSet<>();
    private volatile long lastRecordNanos = System.nanoTime();

    ZkmqSplitReader(
            ZkmqClient client,
            PartitionLocks locks,
            Map<String, Progress> progress,
            int prefetch,
            boolean resetOutOfRange,
            ZkmqSourceReaderMetrics metrics) {
        this.client = client;
        this.locks = locks;
        this.progress = progress;
        this.prefetch = prefetch;
        this.resetOutOfRange = resetOutOfRange;
        this.metrics = metrics;
    }

    @Override
    public RecordsWithSplitIds<ZkmqSourceRecord> fetch() throws IOException {
        locks.checkFailure();
        client.checkBackgroundErrors(); // fails the task: e.g. a callback that threw
        Runnable event;
        while ((event = lockEvents.poll()) != null) {
            event.run();
        }
        if (!finishedNow.isEmpty()) {
            return finished();
        }
        try {
            if (locks.isSuspended()) {
                locks.awaitConnected(POLL);
                return finished();
            }
            FetchedBatch b = ready.poll(POLL);
            if (b == null) {
                return finished();
            }
            return handle(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while fetching", e);
        }
    }

    private RecordsWithSplitIds<ZkmqSourceRecord> handle(FetchedBatch b) throws IOException {
        QueuePartition p = new QueuePartition(b.queue(), b.partition());
        Progress pr = progress.get(p.splitId());
        if (pr == null) {
            b.consumed();
            return finished();
        }
        if (b.error() != null) {
            return onError(p, pr, b.error());
        }
        Batch batch;
        try {
            batch = b.parse(); // a corrupt batch fails the job: never skipped
        } catch (CorruptBatchException e) {
            throw PermanentFailure.suppressRestarts(e); // a restarted job would read the same bytes
        }
        long from = Math.max(b.fromOffset(), pr.nextOffset);
        List<QueueRecord> records = batch.records(from);
        long stop = pr.split.stopOffset();
        if (batch.nextOffset() > stop) {
            records = records.subList(0, (int) Math.max(0, Math.min(records.size(), stop - from)));
        }
        b.consumed();
        pr.nextOffset = Math.max(pr.nextOffset, Math.min(batch.nextOffset(), stop));
        metrics.fetched(batch.maxTimestamp());
        lastRecordNanos = System.nanoTime();
        if (pr.nextOffset >= stop) {
            finish(p, "reached its stop offset " + stop, true);
        }
        return BatchRecords.of(
                p.splitId(), records, batch.seq(), batch.nextOffset(), drainFinished());
    }

    private RecordsWithSplitIds<ZkmqSourceRecord> onError(
            QueuePartition p, Progress pr, ZkmqException error) throws IOException {
        if (error instanceof QueueNotFoundException) {
            finish(p, "no longer exists: " + error.getMessage(), false);
            return finished();
        }
        if (error instanceof OffsetOutOfRangeException && resetOutOfRange) {
            Position earliest =
                    client.admin()
                            .resolvePosition(p.queue(), p.partition(), StartingPosition.earliest());
            LOG.warn(
                    "{} at offset {} was trimmed by retention; continuing at the earliest retained offset {} ({} records lost)",
                    p,
                    pr.nextOffset,
                    earliest.offset(),
                    earliest.offset() - pr.nextOffset);
            metrics.outOfRangeReset();
            pr.nextOffset = earliest.offset();
            fetcher(p.queue()).assign(p.partition(), earliest);
            return finished();
        }
        IOException failure =
                new IOException("Reading " + p + " failed: " + error.getMessage(), error);
        if (error instanceof CorruptBatchException) {
            throw PermanentFailure.suppressRestarts(failure);
        }
        throw failure;
    }

    /**
     * Ends a split. One that reached its stop keeps its lock until the reader committed its final
     * position with the next checkpoint (so that the group's offset reflects the whole bounded
     * read); one whose queue is gone releases it at once.
     */
    private void finish(QueuePartition p, String why, boolean commitFinalPosition) {
        LOG.info("Split {} finished: {}", p, why);
        Fetcher f = fetchers.get(p.queue());
        if (f != null) {
            f.unassign(p.partition());
        }
        progress.remove(p.splitId());
        if (commitFinalPosition) {
            locks.releaseAfterFinalCommit(p);
        } else {
            locks.release(p);
        }
        finishedNow.add(p.splitId());
    }

    private RecordsWithSplitIds<ZkmqSourceRecord> finished() {
        return BatchRecords.finishedOnly(drainFinished());
    }

    private Set<String> drainFinished() {
        if (finishedNow.isEmpty()) {
            return Set.of();
        }
        Set<String> out = Set.copyOf(finishedNow);
        finishedNow.clear();
        return out;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ZkmqSplit> change) {
        if (change instanceof SplitsAddition) {
            for (ZkmqSplit split : change.splits()) {
                progress.put(split.splitId(), new Progress(split));
                locks.acquire(
                        split,
                        new PartitionLocks.Listener() {
                            @Override
                            public void taken(ZkmqSplit s, Position position) {
                                onLockEvent(() -> startFetching(s, position));
                            }

                            @Override
                            public void gone(ZkmqSplit s, String why) {
                                onLockEvent(
                                        () -> {
                                            if (progress.containsKey(s.splitId())) {
                                                finish(
                                                        s.queuePartition(),
                                                        "no longer exists: " + why,
                                                        false);
                                            }
                                        });
                            }
                        });
            }
        } else if (change instanceof SplitsRemoval) {
            for (ZkmqSplit split : change.splits()) {
                Fetcher f = fetchers.get(split.queue());
                if (f != null) {
                    f.unassign(split.partition());
                }
                progress.remove(split.splitId());
                locks.release(split.queuePartition());
            }
        }
    }

    private void onLockEvent(Runnable event) {
        lockEvents.add(event);
        ready.wakeUp();
    }

    private void startFetching(ZkmqSplit split, Position position) {
        Progress pr = progress.get(split.splitId());
        if (pr == null || pr.split != split) {
            return; // removed meanwhile
        }
        pr.nextOffset = position.offset();
        if (position.offset() >= split.stopOffset()) {
            finish(
                    split.queuePartition(),
                    "starts at or after its stop offset " + split.stopOffset(),
                    true);
            return;
        }
        fetcher(split.queue()).assign(split.partition(), position);
    }

    private Fetcher fetcher(String queue) {
        return fetchers.computeIfAbsent(
                queue,
                q ->
                        new Fetcher(
                                client.curator(),
                                q,
                                client.admin().readConfig(q).config().segmentBatches(),
                                prefetch,
                                ready));
    }

    /** Nanos timestamp of the last fetched batch (for idleness). */
    long lastRecordNanos() {
        return lastRecordNanos;
    }

    @Override
    public void wakeUp() {
        ready.wakeUp();
    }

    @Override
    public void close() {
        fetchers.values().forEach(Fetcher::close);
        fetchers.clear();
    }

    static Map<String, Progress> newProgressMap() {
        return new ConcurrentHashMap<>();
    }
}
