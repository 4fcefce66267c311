package io.zkmq.client;

import io.zkmq.coordination.TierIndex;
import io.zkmq.error.GroupNotFoundException;
import io.zkmq.error.ZkErrors;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.OwnerInfo;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** Builds the per-partition descriptions of a queue and of a consumer group in it. */
final class QueueDescriber {
    private final CuratorFramework curator;
    private final PartitionStateReader state;
    private final QueueQuotas quotas;

    QueueDescriber(CuratorFramework curator, PartitionStateReader state, QueueQuotas quotas) {
        this.curator = curator;
        this.state = state;
        this.quotas = quotas;
    }

    QueueDescription describeQueue(QueueMetadata meta) {
        String queue = meta.name();
        List<PartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < meta.config().partitions(); p++) {
            PartitionHead head = state.readHead(queue, p);
            PartitionLow low = state.readLow(queue, p);
            List<TierIndex.Registered> tiered = TierIndexEntries.readUnchecked(curator, queue, p);
            int segmentBatches = meta.config().segmentBatches();
            partitions.add(
                    new PartitionInfo(
                            p,
                            low.lowOffset(),
                            head.nextOffset(),
                            low.lowSeq(),
                            head.nextSeq(),
                            head.nextBytes() - low.lowBytes(),
                            tiered.size(),
                            tiered.stream().mapToLong(r -> r.entry().bytes()).sum(),
                            tiered.stream()
                                    .mapToLong(
                                            r ->
                                                    (r.entry().lastSeq() + 1 - r.entry().firstSeq())
                                                            / segmentBatches)
                                    .sum(),
                            head.nextBytes() - hotStart(queue, p, head)));
        }
        return new QueueDescription(meta, partitions, quotas.usage(queue));
    }

    /**
     * The partition byte position of the first segment still in ZooKeeper; the head's bytes when
     * none is (every complete segment was offloaded and no batch appended since).
     */
    private long hotStart(String queue, int partition, PartitionHead head) {
        String segments = ZkmqPaths.segments(queue, partition);
        try {
            List<String> names = curator.getChildren().forPath(segments);
            if (names.isEmpty()) {
                return head.nextBytes();
            }
            String first = ZkmqPaths.child(segments, Collections.min(names));
            return SegmentInfo.fromJson(curator.getData().forPath(first), first).startBytes();
        } catch (KeeperException.NoNodeException e) {
            return head.nextBytes(); // trimmed meanwhile: nothing hot is known
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e, "reading the segments of queue '" + queue + "' partition " + partition);
        }
    }

    /** {@code knownGroups} is asked only to name the alternatives when the group has no state. */
    List<GroupPartitionInfo> describeGroup(
            QueueMetadata meta, String group, Supplier<List<String>> knownGroups) {
        String queue = meta.name();
        try {
            if (curator.checkExists().forPath(ZkmqPaths.group(queue, group)) == null) {
                throw new GroupNotFoundException(
                        "Group '"
                                + group
                                + "' has no state in queue '"
                                + queue
                                + "' (no znode "
                                + ZkmqPaths.group(queue, group)
                                + "); known groups: "
                                + knownGroups.get());
            }
        } catch (GroupNotFoundException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading group '" + group + "' of queue '" + queue + "'");
        }
        List<GroupPartitionInfo> out = new ArrayList<>();
        for (int p = 0; p < meta.config().partitions(); p++) {
            final int partition = p;
            PartitionHead head = state.readHead(queue, p);
            Optional<CommittedPosition> committed = state.readCommitted(queue, group, p);
            long base =
                    committed
                            .map(c -> c.position().offset())
                            .orElseGet(() -> state.readLow(queue, partition).lowOffset());
            out.add(
                    new GroupPartitionInfo(
                            p,
                            committed
                                    .map(c -> OptionalLong.of(c.position().offset()))
                                    .orElse(OptionalLong.empty()),
                            head.nextOffset(),
                            Math.max(0, head.nextOffset() - base),
                            state.readOwner(queue, group, p).map(OwnerInfo::ownerId)));
        }
        return out;
    }
}
