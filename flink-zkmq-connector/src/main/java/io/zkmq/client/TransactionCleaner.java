package io.zkmq.client;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up the exactly-once transaction markers of a queue's partitions ({@code txn/<name>}), run
 * by the maintenance leader. The abandoned timeout is the one the sink registered for the marker's
 * prefix ({@code /sinks/<prefix>}, option {@code sink.transaction.abandoned-timeout}), else {@link
 * #DEFAULT_ABANDONED_TIMEOUT}:
 *
 * <ul>
 *   <li>OPEN, created longer ago than the timeout: the job never came back; aborted, its staged
 *       records are lost (logged at WARN);
 *   <li>ABORTING, last changed longer ago than {@link #ABORTING_GRACE}: an interrupted abort;
 *       finished;
 *   <li>COMMITTED longer ago than {@link #COMMITTED_MARKER_RETENTION}: the marker alone is deleted
 *       (version-checked); the records stay readable and a repeated commit still reports already
 *       committed while the staged batches exist. Short, because a sink commits one marker per
 *       partition and checkpoint, and a partition's txn/ children must stay few.
 * </ul>
 */
@Internal
public final class TransactionCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCleaner.class);
    public static final Duration DEFAULT_ABANDONED_TIMEOUT = Duration.ofDays(7);
    public static final Duration ABORTING_GRACE = Duration.ofMinutes(1);
    public static final Duration COMMITTED_MARKER_RETENTION = Duration.ofMinutes(10);

    private final CuratorFramework curator;
    private final TransactionStore store;
    private final String queue;
    private final LongSupplier clock;

    public TransactionCleaner(CuratorFramework curator, TransactionStore store, String queue) {
        this(curator, store, queue, System::currentTimeMillis);
    }

    /**
     * @param clock the current time in epoch milliseconds (injectable for tests)
     */
    public TransactionCleaner(
            CuratorFramework curator, TransactionStore store, String queue, LongSupplier clock) {
        this.curator = curator;
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    /** What one run did. */
    public record Result(int abandonedAborted, int abortsFinished, int committedRemoved) {}

    /** Looks at every marker of every partition once. */
    public Result runOnce() throws Exception {
        String configPath = ZkmqPaths.queue(queue);
        byte[] data;
        try {
            data = curator.getData().forPath(configPath);
        } catch (KeeperException.NoNodeException e) {
            return new Result(0, 0, 0);
        }
        if (data == null || data.length == 0) {
            return new Result(0, 0, 0);
        }
        int partitions = QueueConfig.fromJson(data, configPath).partitions();
        Map<String, Optional<Duration>> timeouts = new HashMap<>();
        int[] counts = new int[3];
        for (int p = 0; p < partitions; p++) {
            cleanPartition(new QueuePartition(queue, p), timeouts, counts);
        }
        return new Result(counts[0], counts[1], counts[2]);
    }

    private void cleanPartition(
            QueuePartition partition, Map<String, Optional<Duration>> timeouts, int[] counts)
            throws Exception {
        List<String> names;
        try {
            names =
                    new ArrayList<>(
                            curator.getChildren()
                                    .forPath(ZkmqPaths.transactions(queue, partition.partition())));
        } catch (KeeperException.NoNodeException e) {
            return;
        }
        names.sort(null);
        for (String name : names) {
            String path = ZkmqPaths.transaction(queue, partition.partition(), name);
            Stat stat = new Stat();
            TransactionMarker marker;
            try {
                marker =
                        TransactionMarker.fromJson(
                                curator.getData().storingStatIn(stat).forPath(path), path);
            } catch (KeeperException.NoNodeException e) {
                continue; // committed over, aborted or replaced meanwhile
            } catch (InvalidConfigException e) {
                LOG.warn(
                        "{}: skipping unreadable transaction marker {}: {}",
                        partition,
                        path,
                        e.getMessage());
                continue;
            }
            long now = clock.getAsLong();
            switch (marker.state()) {
                case OPEN -> {
                    long age = now - marker.createdAtMillis();
                    Optional<Duration> timeout = timeout(marker, timeouts);
                    if (timeout.isPresent()
                            && age > timeout.get().toMillis()
                            && store.abort(queue, partition.partition(), name)) {
                        LOG.warn(
                                "Aborted abandoned transaction {} of {}: {} staged record(s) lost,"
                                        + " open for {} (its sink never committed or aborted it; abandoned timeout {})",
                                name,
                                partition,
                                marker.records(),
                                Duration.ofMillis(age),
                                timeout.get());
                        counts[0]++;
                    }
                }
                case ABORTING -> {
                    if (now - stat.getMtime() > ABORTING_GRACE.toMillis()
                            && store.abort(queue, partition.partition(), name)) {
                        LOG.info(
                                "Finished the interrupted abort of transaction {} of {}",
                                name,
                                queue,
                                partition);
                        counts[1]++;
                    }
                }
                case COMMITTED -> {
                    long committedAt =
                            marker.committedAtMillis() >= 0
                                    ? marker.committedAtMillis()
                                    : stat.getMtime();
                    if (now - committedAt > COMMITTED_MARKER_RETENTION.toMillis()) {
                        try {
                            curator.delete().withVersion(stat.getVersion()).forPath(path);
                            LOG.debug(
                                    "Removed the marker of transaction {} of {}, committed at {}",
                                    name,
                                    partition,
                                    committedAt);
                            counts[2]++;
                        } catch (KeeperException.NoNodeException
                                | KeeperException.BadVersionException e) {
                            // replaced by a later run reusing the id, or removed: looked at next
                            // time
                        }
                    }
                }
            }
        }
    }

    /**
     * The prefix's timeout, read once per run; empty (marker left alone) if its registration is
     * unreadable.
     */
    private Optional<Duration> timeout(
            TransactionMarker marker, Map<String, Optional<Duration>> timeouts) {
        return timeouts.computeIfAbsent(
                marker.id().prefix(),
                prefix -> {
                    try {
                        return Optional.of(store.sinkTimeout(prefix, DEFAULT_ABANDONED_TIMEOUT));
                    } catch (InvalidConfigException e) {
                        LOG.warn(
                                "Queue '{}': leaving the transactions of sink prefix '{}' alone, its abandoned timeout is"
                                        + " unreadable: {}",
                                queue,
                                prefix,
                                e.getMessage());
                        return Optional.empty();
                    }
                });
    }
}
