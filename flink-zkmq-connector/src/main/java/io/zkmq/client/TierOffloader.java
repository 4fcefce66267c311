package io.zkmq.client;

import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.error.FencedException;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.tier.TierObjectStore;
import io.zkmq.tier.WrittenTierObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offloads one partition's oldest complete segments that are not in the tier yet into one tier
 * object, then registers it: one {@code multi()} creates the index entry, moves {@code tierHigh}
 * (compare-and-set on its version) and checks the maintenance epoch, so a deposed leader cannot
 * register. A segment is taken while the hot bytes above the tier's end exceed {@code
 * hotRetentionBytes}, or its batches are older than {@code hotRetentionTime}. Nothing is deleted
 * from ZooKeeper here: {@link HotTrimmer} does that after registration.
 */
final class TierOffloader {
    private static final Logger LOG = LoggerFactory.getLogger(TierOffloader.class);

    /**
     * Large objects mean few index entries (design: 64-512 MiB); a larger backlog takes several
     * runs.
     */
    static final long MAX_OBJECT_BYTES = 512L * 1024 * 1024;

    private final CuratorFramework curator;
    private final String queue;
    private final MaintenanceEpoch epoch;
    private final OffloadStep.Hook hook;
    private final QuotaHeadroom headroom;

    TierOffloader(
            CuratorFramework curator, String queue, MaintenanceEpoch epoch, OffloadStep.Hook hook) {
        this.curator = curator;
        this.queue = queue;
        this.epoch = epoch;
        this.hook = hook;
        this.headroom = new QuotaHeadroom(curator, queue);
    }

    /** Offloads at most one object of {@code partition}; the entry registered, if any. */
    Optional<TierObjectEntry> offload(QueueConfig config, TierObjectStore store, int partition)
            throws Exception {
        int fence = epoch.version(); // captured before building: a bump while we build must refuse
        // the registration
        String highPath = ZkmqPaths.tierHigh(queue, partition);
        Stat highStat = curator.checkExists().forPath(highPath);
        TierHigh high =
                highStat == null
                        ? TierHigh.EMPTY
                        : TierHigh.fromJson(
                                curator.getData().storingStatIn(highStat).forPath(highPath),
                                highPath);
        PartitionHead head =
                PartitionHead.fromJson(
                        curator.getData().forPath(ZkmqPaths.head(queue, partition)),
                        ZkmqPaths.head(queue, partition));
        PartitionLow low =
                PartitionLow.fromJson(
                        curator.getData().forPath(ZkmqPaths.low(queue, partition)),
                        ZkmqPaths.low(queue, partition));
        // Retention may have trimmed past the tier's end: what it trimmed is gone, so offload from
        // low.
        long first = Math.max(high.nextSeq(), low.lowSeq());
        Plan plan = plan(config, partition, head, first);
        long end = plan.endSeq();
        if (end == first) {
            return Optional.empty();
        }
        hook.reached(OffloadStep.BEFORE_UPLOAD, partition);
        WrittenTierObject written;
        try {
            written =
                    store.write(
                            queue,
                            partition,
                            first,
                            new ZooKeeperBatchSource(
                                    curator,
                                    queue,
                                    partition,
                                    config.segmentBatches(),
                                    first,
                                    end));
        } catch (RuntimeException e) {
            // A newer leader may have offloaded and hot-trimmed these batches meanwhile: say so.
            throw fencedIfDeposed(fence, partition, first, e);
        }
        TierObjectEntry entry = written.indexEntry(plan.startBytes(), plan.endBytes());
        hook.reached(OffloadStep.AFTER_UPLOAD, partition);
        try {
            register(config, partition, entry, high, highStat, fence);
        } catch (Exception e) {
            try {
                store.delete(
                        written.path()); // unregistered: no reader can know it (orphan clean-up
                // would find it too)
            } catch (RuntimeException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            throw e;
        }
        LOG.info(
                "Offloaded batches {}..{} of queue '{}' partition {} ({} bytes) to tier object {}",
                entry.firstSeq(),
                entry.lastSeq(),
                queue,
                partition,
                entry.bytes(),
                written.path());
        return Optional.of(entry);
    }

    /**
     * The complete segments from a segment's first batch on that must leave the hot tail: batches
     * {@code [first, endSeq)}, the partition's bytes {@code [startBytes, endBytes)}.
     */
    private record Plan(long endSeq, long startBytes, long endBytes) {}

    private Plan plan(QueueConfig config, int partition, PartitionHead head, long first)
            throws Exception {
        int segmentBatches = config.segmentBatches();
        long cutoff =
                config.hotRetentionTime()
                        .map(t -> System.currentTimeMillis() - t.toMillis())
                        .orElse(Long.MIN_VALUE);
        long end = first;
        long segmentId = first / segmentBatches;
        Stat segmentStat = new Stat();
        SegmentInfo segment = readSegment(partition, segmentId, segmentStat);
        long objectStart = segment == null ? 0 : segment.startBytes();
        while (segment != null
                && head.nextSeq()
                        >= (segmentId + 1) * segmentBatches) { // complete: the head is past it
            long hotBytes = head.nextBytes() - segment.startBytes();
            Stat nextStat = new Stat();
            SegmentInfo next = readSegment(partition, segmentId + 1, nextStat);
            // Every batch of the segment is older than the next segment (or, at the head, than the
            // head's last change).
            long newerThanAll = next != null ? nextStat.getCtime() : headModified(partition);
            long objectBytes = segment.startBytes() - objectStart;
            if ((hotBytes <= config.hotRetentionBytes() && newerThanAll >= cutoff)
                    || objectBytes >= MAX_OBJECT_BYTES) {
                break;
            }
            end = (segmentId + 1) * segmentBatches;
            segmentId++;
            segment = next;
        }
        // The next segment's start, or the head's bytes when it is not created yet (end is the
        // head).
        return new Plan(
                end, objectStart, segment != null ? segment.startBytes() : head.nextBytes());
    }

    private long headModified(int partition) throws Exception {
        Stat stat = curator.checkExists().forPath(ZkmqPaths.head(queue, partition));
        return stat == null ? Long.MAX_VALUE : stat.getMtime();
    }

    private SegmentInfo readSegment(int partition, long segmentId, Stat stat) throws Exception {
        String path = ZkmqPaths.segment(queue, partition, segmentId);
        try {
            return SegmentInfo.fromJson(curator.getData().storingStatIn(stat).forPath(path), path);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    private RuntimeException fencedIfDeposed(
            int fence, int partition, long first, RuntimeException failure) {
        try {
            Stat now = curator.checkExists().forPath(epoch.path());
            if (now == null || now.getVersion() == fence) {
                return failure;
            }
        } catch (Exception e) {
            failure.addSuppressed(e);
            return failure;
        }
        return new FencedException(
                "Offload of queue '"
                        + queue
                        + "' partition "
                        + partition
                        + " from batch "
                        + first
                        + " stopped: this client is no longer the maintenance leader (epoch "
                        + fence
                        + " at "
                        + epoch.path()
                        + " was superseded), and the new leader may have moved these batches already",
                failure);
    }

    private void createBucket(String bucketPath) throws Exception {
        if (curator.checkExists().forPath(bucketPath) == null) {
            try {
                // Empty, not Curator's default data (the local address): it counts against the
                // quota.
                curator.create().creatingParentsIfNeeded().forPath(bucketPath, new byte[0]);
            } catch (KeeperException.NodeExistsException raced) {
                // created meanwhile; an empty bucket is harmless
            }
        }
    }

    private void register(
            QueueConfig config,
            int partition,
            TierObjectEntry entry,
            TierHigh high,
            Stat highStat,
            int fence)
            throws Exception {
        String entryPath =
                ZkmqPaths.tierEntry(queue, partition, entry.firstSeq(), config.segmentBatches());
        String bucketPath = entryPath.substring(0, entryPath.lastIndexOf('/'));
        String highPath = ZkmqPaths.tierHigh(queue, partition);
        byte[] next = high.plus(entry).toJson();
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(curator.transactionOp().check().withVersion(fence).forPath(epoch.path()));
        ops.add(curator.transactionOp().create().forPath(entryPath, entry.toJson()));
        ops.add(
                highStat == null
                        ? curator.transactionOp().create().forPath(highPath, next)
                        : curator.transactionOp()
                                .setData()
                                .withVersion(highStat.getVersion())
                                .forPath(highPath, next));
        try {
            headroom.run(
                    config,
                    () -> {
                        createBucket(bucketPath);
                        return curator.transaction().forOperations(ops);
                    });
        } catch (KeeperException e) {
            List<OpResult> results = e.getResults();
            if (results != null
                    && !results.isEmpty()
                    && results.get(0) instanceof OpResult.ErrorResult err
                    && err.getErr() != KeeperException.Code.OK.intValue()) {
                throw new FencedException(
                        "Tier object "
                                + entry.path()
                                + " of queue '"
                                + queue
                                + "' partition "
                                + partition
                                + " was not registered: this client is no longer the maintenance leader (epoch "
                                + fence
                                + " at "
                                + epoch.path()
                                + " was superseded)",
                        e);
            }
            throw e;
        }
    }
}
