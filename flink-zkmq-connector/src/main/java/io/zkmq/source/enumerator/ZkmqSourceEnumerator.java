package io.zkmq.source.enumerator;

import io.zkmq.client.ZkmqClient;
import io.zkmq.connector.PermanentFailure;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.QueuePartition;
import io.zkmq.source.ZkmqSourceConfig;
import io.zkmq.source.split.ZkmqSplit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.Gauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers the partitions of the configured queues (pushed by ZooKeeper watches) and hands each to
 * one reader, by the sticky balanced assignment kept in {@link SplitTracker}. Runs on the
 * coordinator thread; ZooKeeper reads happen in {@code callAsync} workers.
 */
@Internal
public final class ZkmqSourceEnumerator implements SplitEnumerator<ZkmqSplit, ZkmqEnumState> {
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqSourceEnumerator.class);

    private final ZkmqSourceConfig config;
    private final SplitEnumeratorContext<ZkmqSplit> context;
    private final Boundedness boundedness;
    private final SplitTracker tracker;
    private final Set<Integer> noMoreSplitsSignalled = new HashSet<>();
    private boolean initialDiscoveryDone;
    private ZkmqClient client;
    private QueueDiscovery discovery;
    private SplitFactory factory;

    public ZkmqSourceEnumerator(
            ZkmqSourceConfig config,
            SplitEnumeratorContext<ZkmqSplit> context,
            Boundedness boundedness,
            ZkmqEnumState restored) {
        this.config = config;
        this.context = context;
        this.boundedness = boundedness;
        this.tracker = restored == null ? new SplitTracker() : SplitTracker.restore(restored);
        this.initialDiscoveryDone = restored != null && restored.initialDiscoveryDone();
        context.metricGroup()
                .setUnassignedSplitsGauge((Gauge<Long>) () -> (long) tracker.unassignedCount());
    }

    @Override
    public void start() {
        client = ZkmqClient.connect(config.client());
        factory = new SplitFactory(client.admin(), config.start(), config.stop());
        discovery =
                new QueueDiscovery(
                        client,
                        config.queues(),
                        config.queuePattern().orElse(null),
                        config.queueAwaitTimeout(),
                        new QueueDiscovery.Listener() {
                            @Override
                            public void onPartitions(String queue, int partitions) {
                                if (boundedness == Boundedness.CONTINUOUS_UNBOUNDED) {
                                    context.runInCoordinatorThread(
                                            () -> discover(Map.of(queue, partitions)));
                                }
                            }

                            @Override
                            public void onQueueDeleted(String queue) {
                                context.runInCoordinatorThread(
                                        () -> {
                                            LOG.info(
                                                    "Queue '{}' was deleted; its splits end",
                                                    queue);
                                            tracker.removeQueue(queue);
                                        });
                            }
                        });
        context.callAsync(
                discovery::start,
                (found, error) -> {
                    if (error != null) {
                        // Thrown here, the coordinator fails the job (SplitEnumeratorContext has no
                        // failure method of its
                        // own); a missing queue is marked so that the job is not restarted into the
                        // same failure.
                        throw PermanentFailure.classify(
                                new io.zkmq.error.ZkmqException(
                                        "ZKMQ source cannot start: " + error.getMessage(), error));
                    }
                    if (!initialDiscoveryDone) {
                        try {
                            factory.requireGivenPartitionsExist(found);
                        } catch (InvalidConfigException e) {
                            // The same configuration fails the same way after every restart: fail
                            // the job instead.
                            throw PermanentFailure.suppressRestarts(e);
                        }
                    }
                    discover(found);
                });
    }

    /**
     * Creates splits for partitions not seen before. Runs on the coordinator thread; the ZooKeeper
     * reads for stop offsets run in a worker.
     */
    private void discover(Map<String, Integer> partitionsByQueue) {
        Set<QueuePartition> known = tracker.known();
        boolean initial = !initialDiscoveryDone;
        context.callAsync(
                () -> {
                    List<ZkmqSplit> created = new ArrayList<>();
                    for (var e : new TreeMap<>(partitionsByQueue).entrySet()) {
                        for (int p = 0; p < e.getValue(); p++) {
                            QueuePartition qp = new QueuePartition(e.getKey(), p);
                            if (!known.contains(qp)) {
                                created.add(factory.create(qp, initial));
                            }
                        }
                    }
                    return created;
                },
                (created, error) -> {
                    if (error != null) {
                        throw new io.zkmq.error.ZkmqException(
                                "Discovering partitions of "
                                        + partitionsByQueue.keySet()
                                        + " failed: "
                                        + error.getMessage(),
                                error);
                    }
                    int before = tracker.unassignedCount();
                    created.forEach(tracker::addNew);
                    if (!initialDiscoveryDone) {
                        initialDiscoveryDone = true;
                    }
                    if (tracker.unassignedCount() > before) {
                        LOG.info(
                                "Discovered {} new splits of {}",
                                tracker.unassignedCount() - before,
                                partitionsByQueue.keySet());
                    }
                    assignPending();
                });
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Splits are pushed on discovery and registration; readers never need to ask.
    }

    @Override
    public void addSplitsBack(List<ZkmqSplit> splits, int subtaskId) {
        LOG.info(
                "Reader {} failed; {} splits assigned since its last checkpoint come back",
                subtaskId,
                splits.size());
        tracker.addBack(splits, subtaskId);
        noMoreSplitsSignalled.remove(subtaskId);
        // Re-assigned when the reader registers again.
    }

    @Override
    public void addReader(int subtaskId) {
        ReaderInfo info = context.registeredReaders().get(subtaskId);
        List<ZkmqSplit> reported =
                info == null ? List.of() : info.getReportedSplitsOnRegistration();
        tracker.readerRegistered(subtaskId, reported);
        noMoreSplitsSignalled.remove(subtaskId);
        if (!reported.isEmpty()) {
            LOG.info("Reader {} registered with {} restored splits", subtaskId, reported.size());
        }
        List<QueuePartition> settled =
                tracker.settleAwaiting(
                        context.registeredReaders().keySet(), context.currentParallelism());
        if (!settled.isEmpty()) {
            LOG.info(
                    "{} splits held at the restored checkpoint were reported by no reader: they had finished",
                    settled.size());
        }
        assignPending();
    }

    private void assignPending() {
        Set<Integer> registered = context.registeredReaders().keySet();
        SortedMap<Integer, List<ZkmqSplit>> assignment =
                tracker.assign(context.currentParallelism(), registered);
        if (!assignment.isEmpty()) {
            context.assignSplits(new SplitsAssignment<>(new TreeMap<>(assignment)));
            LOG.debug("Assigned {}", assignment);
        }
        if (boundedness == Boundedness.BOUNDED
                && initialDiscoveryDone
                && tracker.unassignedCount() == 0) {
            for (int reader : registered) {
                if (noMoreSplitsSignalled.add(reader)) {
                    context.signalNoMoreSplits(reader);
                }
            }
        }
    }

    /**
     * Score evaluations of the split assignments computed so far: lets tests bound start-up work.
     */
    long scoreEvaluations() {
        return tracker.scoreEvaluations();
    }

    @Override
    public ZkmqEnumState snapshotState(long checkpointId) {
        return tracker.snapshot(initialDiscoveryDone);
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
