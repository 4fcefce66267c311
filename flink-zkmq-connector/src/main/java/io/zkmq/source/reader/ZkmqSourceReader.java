package io.zkmq.source.reader;

import io.zkmq.client.ZkmqClient;
import io.zkmq.coordination.LeaseService;
import io.zkmq.coordination.ZkLeaseService;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.source.ZkmqSourceConfig;
import io.zkmq.source.split.ZkmqSplit;
import io.zkmq.source.split.ZkmqSplitState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.core.io.InputStatus;

/**
 * The ZKMQ source reader: one split reader (one fetch thread) over all assigned partitions, the
 * group's partition leases (their own thread), and offset commits through the leases when a
 * checkpoint completes. The checkpoint, not the committed offset, is the source of truth on
 * restore.
 */
@Internal
public final class ZkmqSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<
                ZkmqSourceRecord, T, ZkmqSplit, ZkmqSplitState> {
    private static final Duration HEAD_REFRESH = Duration.ofSeconds(1);

    private final ZkmqSourceConfig config;
    private final ZkmqClient client;
    private final PartitionLocks locks;

    /**
     * Refreshes the partition heads behind {@code pendingRecords}, off the fetcher and mailbox
     * threads.
     */
    private final ScheduledExecutorService heads;

    private final Map<String, ZkmqSplitReader.Progress> progress;
    private final ZkmqSplitReader[] splitReader;
    private final SortedMap<Long, Map<QueuePartition, Position>> toCommit = new TreeMap<>();

    /**
     * Final positions of splits finished since the last checkpoint, committed with the next one.
     */
    private final Map<QueuePartition, Position> finalPositions = new HashMap<>();

    private ZkmqSourceReader(
            ZkmqSourceConfig config,
            ZkmqClient client,
            PartitionLocks locks,
            Map<String, ZkmqSplitReader.Progress> progress,
            ZkmqSplitReader[] splitReader,
            ZkmqRecordEmitter<T> emitter,
            SourceReaderContext context,
            RateLimiterStrategy<ZkmqSplit> rateLimiter) {
        super(() -> splitReader[0], emitter, new Configuration(), context, rateLimiter);
        this.config = config;
        this.client = client;
        this.locks = locks;
        this.heads =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t =
                                    new Thread(
                                            r, "zkmq-source-heads-" + context.getIndexOfSubtask());
                            t.setDaemon(true);
                            return t;
                        });
        this.progress = progress;
        this.splitReader = splitReader;
    }

    /** Wires a reader: its own ZooKeeper session, lease service, split reader and metrics. */
    public static <T> ZkmqSourceReader<T> create(
            ZkmqSourceConfig config,
            io.zkmq.source.ZkmqRecordDeserializationSchema<T> deserializer,
            SourceReaderContext context,
            String ownerId,
            RateLimiterStrategy<ZkmqSplit> rateLimiter) {
        ZkmqClient client = ZkmqClient.connect(config.client());
        LeaseService leases =
                new ZkLeaseService(
                        client.curator(),
                        config.group(),
                        ownerId,
                        config.lockTimeout(),
                        "'lock.timeout'",
                        "zkmq-source-locks-" + context.getIndexOfSubtask());
        return create(config, deserializer, context, client, leases, rateLimiter);
    }

    /** Wires a reader on a given client and lease service (closed with the reader). */
    static <T> ZkmqSourceReader<T> create(
            ZkmqSourceConfig config,
            io.zkmq.source.ZkmqRecordDeserializationSchema<T> deserializer,
            SourceReaderContext context,
            ZkmqClient client,
            LeaseService leases,
            RateLimiterStrategy<ZkmqSplit> rateLimiter) {
        ZkmqSourceReaderMetrics metrics = new ZkmqSourceReaderMetrics(context.metricGroup());
        PartitionLocks locks = new PartitionLocks(leases, client.admin()::resolvePosition, metrics);
        Map<String, ZkmqSplitReader.Progress> progress = ZkmqSplitReader.newProgressMap();
        ZkmqSplitReader[] splitReader = {
            new ZkmqSplitReader(
                    client,
                    locks,
                    progress,
                    config.prefetchBatches(),
                    config.resetOutOfRange(),
                    metrics)
        };
        ZkmqRecordEmitter<T> emitter =
                new ZkmqRecordEmitter<>(
                        deserializer,
                        config.skipDeserializationErrors(),
                        metrics.recordsInErrors());
        ZkmqSourceReader<T> reader =
                new ZkmqSourceReader<>(
                        config,
                        client,
                        locks,
                        progress,
                        splitReader,
                        emitter,
                        context,
                        rateLimiter == null ? RateLimiterStrategy.noOp() : rateLimiter);
        metrics.registerPendingRecords(reader::pendingRecords);
        reader.heads.scheduleWithFixedDelay(
                reader::refreshHeads,
                HEAD_REFRESH.toMillis(),
                HEAD_REFRESH.toMillis(),
                TimeUnit.MILLISECONDS);
        return reader;
    }

    /** Records behind the head over all held partitions (heads refreshed every second). */
    long pendingRecords() {
        long pending = 0;
        for (ZkmqSplitReader.Progress p : progress.values()) {
            if (p.headOffset >= 0 && p.nextOffset >= 0) {
                pending += Math.max(0, Math.min(p.headOffset, p.split.stopOffset()) - p.nextOffset);
            }
        }
        return pending;
    }

    private void refreshHeads() {
        for (ZkmqSplitReader.Progress p : progress.values()) {
            try {
                p.headOffset =
                        client.admin().readHead(p.split.queue(), p.split.partition()).nextOffset();
            } catch (RuntimeException e) {
                // Metrics only: a gone queue ends the split through the fetcher.
            }
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        InputStatus status = super.pollNext(output);
        if (status == InputStatus.NOTHING_AVAILABLE && isIdle()) {
            output.markIdle();
        }
        return status;
    }

    private boolean isIdle() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            return true;
        }
        Duration idle = config.idleTimeout();
        return !idle.isZero()
                && pendingRecords() == 0
                && System.nanoTime() - splitReader[0].lastRecordNanos() > idle.toNanos();
    }

    @Override
    protected void onSplitFinished(Map<String, ZkmqSplitState> finishedSplitIds) {
        // All their records are emitted now: their final positions go with the next checkpoint's
        // commit,
        // after which the locks the split reader kept are released.
        for (ZkmqSplitState state : finishedSplitIds.values()) {
            ZkmqSplit split = state.toSplit();
            if (config.commitOffsets() && split.position().isPresent()) {
                finalPositions.put(split.queuePartition(), split.position().get());
            } else {
                locks.release(split.queuePartition());
            }
        }
    }

    @Override
    protected ZkmqSplitState initializedState(ZkmqSplit split) {
        return new ZkmqSplitState(split);
    }

    @Override
    protected ZkmqSplit toSplitType(String splitId, ZkmqSplitState state) {
        if (state.position() == null) {
            locks.resolvedPosition(splitId).ifPresent(state::resolvedAt);
        }
        return state.toSplit();
    }

    @Override
    public List<ZkmqSplit> snapshotState(long checkpointId) {
        List<ZkmqSplit> splits = super.snapshotState(checkpointId);
        if (config.commitOffsets()) {
            Map<QueuePartition, Position> positions = new HashMap<>(finalPositions);
            finalPositions.clear();
            for (ZkmqSplit s : splits) {
                s.position().ifPresent(pos -> positions.put(s.queuePartition(), pos));
            }
            if (!positions.isEmpty()) {
                toCommit.put(checkpointId, positions);
            }
        }
        return splits;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        SortedMap<Long, Map<QueuePartition, Position>> done = toCommit.headMap(checkpointId + 1);
        if (done.isEmpty()) {
            return;
        }
        // Newest position per partition among the completed checkpoints.
        Map<QueuePartition, Position> latest = new HashMap<>();
        done.values().forEach(latest::putAll);
        locks.commit(latest, checkpointId);
        done.clear();
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            heads.shutdownNow();
            locks.close();
            client.close();
        }
    }
}
