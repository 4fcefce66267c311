package io.zkmq.client;

import io.zkmq.error.ConcurrentUpdateException;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.error.QueueExistsException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkErrors;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.Names;
import io.zkmq.queue.OwnerInfo;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.utils.ZKPaths;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Creates, inspects, alters and deletes queues, and describes consumer groups. Every config change
 * is a compare-and-set on the queue znode's version, so concurrent admins never lose an update
 * silently.
 */
@PublicEvolving
public final class QueueAdmin {
    private final CuratorFramework curator;

    /**
     * Told the name of every queue whose config this admin wrote (read-your-writes for the client's
     * watches).
     */
    private final Consumer<String> configWritten;

    private final QueueQuotas quotas;
    private final PartitionCreator partitionCreator;
    private final PartitionStateReader state;
    private final QueueDescriber describer;
    private final GroupAdmin groups;

    QueueAdmin(CuratorFramework curator, Consumer<String> configWritten, boolean digestAuth) {
        this.curator = curator;
        this.configWritten = configWritten;
        this.quotas = new QueueQuotas(curator, digestAuth);
        this.partitionCreator = new PartitionCreator(curator);
        this.state = new PartitionStateReader(curator);
        this.describer = new QueueDescriber(curator, state, quotas);
        this.groups = new GroupAdmin(curator, this);
    }

    /** Moves and deletes consumer groups' offsets. */
    public GroupAdmin groups() {
        return groups;
    }

    /**
     * Creates a queue with its partitions. The config is written last, so no client sees the queue
     * before every partition exists.
     */
    public QueueMetadata createQueue(String queue, QueueConfig config) {
        Names.queue(queue);
        String path = ZkmqPaths.queue(queue);
        try {
            try {
                curator.create().creatingParentsIfNeeded().forPath(ZkmqPaths.QUEUES);
            } catch (KeeperException.NodeExistsException ignored) {
                // Already there: the usual case.
            }
            int expectedVersion = 0;
            try {
                curator.transaction()
                        .forOperations(
                                curator.transactionOp().create().forPath(path, new byte[0]),
                                curator.transactionOp()
                                        .create()
                                        .forPath(ZkmqPaths.partitions(queue)),
                                curator.transactionOp().create().forPath(ZkmqPaths.groups(queue)),
                                curator.transactionOp()
                                        .create()
                                        .forPath(ZkmqPaths.allMembers(queue)));
            } catch (KeeperException.NodeExistsException e) {
                // An empty queue znode is a creation that was interrupted, or the remains of a
                // deleted
                // queue: adopt it. One with a config is a real queue.
                Stat existing = curator.checkExists().forPath(path);
                if (existing == null || existing.getDataLength() > 0) {
                    throw new QueueExistsException(
                            "Queue '" + queue + "' already exists (znode " + path + ")");
                }
                expectedVersion = existing.getVersion();
                for (String dir :
                        List.of(
                                ZkmqPaths.partitions(queue),
                                ZkmqPaths.groups(queue),
                                ZkmqPaths.allMembers(queue))) {
                    try {
                        curator.create().forPath(dir, new byte[0]);
                    } catch (KeeperException.NodeExistsException ignored) {
                        // Left from before.
                    }
                }
            }
            partitionCreator.createPartitions(queue, 0, config.partitions());
            quotas.apply(queue, config); // before the config publishes the queue to producers
            try {
                Stat stat =
                        curator.setData()
                                .withVersion(expectedVersion)
                                .forPath(path, config.toJson());
                configWritten.accept(queue);
                return new QueueMetadata(queue, config, stat.getVersion());
            } catch (KeeperException.BadVersionException e) {
                throw new QueueExistsException(
                        "Queue '" + queue + "' was created concurrently by another client");
            }
        } catch (QueueExistsException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(e, "creating queue '" + queue + "'");
        }
    }

    /** Names of all queues, sorted. */
    public List<String> listQueues() {
        try {
            List<String> names = new ArrayList<>();
            for (String name : curator.getChildren().forPath(ZkmqPaths.QUEUES)) {
                // A queue exists once its config is written; an empty znode is one being created or
                // deleted.
                Stat stat = curator.checkExists().forPath(ZkmqPaths.queue(name));
                if (stat != null && stat.getDataLength() > 0) {
                    names.add(name);
                }
            }
            names.sort(null);
            return names;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw ZkErrors.translate(e, "listing queues");
        }
    }

    public boolean queueExists(String queue) {
        try {
            readConfig(queue);
            return true;
        } catch (QueueNotFoundException e) {
            return false;
        }
    }

    /** The queue's config and the version it was read at. */
    public QueueMetadata readConfig(String queue) {
        Names.queue(queue);
        String path = ZkmqPaths.queue(queue);
        Stat stat = new Stat();
        byte[] data;
        try {
            data = curator.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException e) {
            throw notFound(curator, queue);
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading the config of queue '" + queue + "'");
        }
        if (data == null || data.length == 0) {
            throw new QueueNotFoundException(
                    "Queue '"
                            + queue
                            + "' is being created or its creation was interrupted"
                            + " (znode "
                            + path
                            + " has no config yet); delete it and create it again if this persists");
        }
        return new QueueMetadata(queue, QueueConfig.fromJson(data, path), stat.getVersion());
    }

    /**
     * Config plus per-partition low/head offsets, retained bytes and tiered objects and bytes (from
     * the index entries), and the quota usage ZooKeeper counts.
     */
    public QueueDescription describeQueue(String queue) {
        return describer.describeQueue(readConfig(queue));
    }

    /**
     * Changes the config with a compare-and-set on its version, retrying on concurrent changes. The
     * partition count may only grow: up to 199 new partitions are created in the same transaction
     * as the config change; more are created first in chunks and published by the config change.
     * The segment size is fixed at creation.
     */
    public QueueMetadata alterQueue(String queue, UnaryOperator<QueueConfig.Builder> change) {
        for (int attempt = 0; attempt < 10; attempt++) {
            QueueMetadata current = readConfig(queue);
            QueueConfig next = change.apply(current.config().toBuilder()).build();
            QueueConfig old = current.config();
            if (next.partitions() < old.partitions()) {
                throw new InvalidConfigException(
                        "Queue '"
                                + queue
                                + "' has "
                                + old.partitions()
                                + " partitions; partitions can be added but never removed (asked for "
                                + next.partitions()
                                + ")");
            }
            if (next.segmentBatches() != old.segmentBatches()) {
                throw new InvalidConfigException(
                        "segmentBatches of queue '"
                                + queue
                                + "' is fixed at creation ("
                                + old.segmentBatches()
                                + ")");
            }
            int added = next.partitions() - old.partitions();
            boolean atomic = PartitionCreator.fitsOneTransaction(added);
            if (added > 0 && !atomic) {
                // Too many for one request: create the partitions first; the config CAS below
                // publishes them.
                partitionCreator.createPartitions(queue, old.partitions(), next.partitions());
            }
            try {
                List<CuratorOp> ops = new ArrayList<>();
                if (added > 0 && atomic) {
                    // One transaction: the new partitions and the config that announces them.
                    ops.addAll(
                            partitionCreator.createOps(queue, old.partitions(), next.partitions()));
                }
                ops.add(
                        curator.transactionOp()
                                .setData()
                                .withVersion(current.version())
                                .forPath(ZkmqPaths.queue(queue), next.toJson()));
                curator.transaction().forOperations(ops);
                configWritten.accept(queue);
                quotas.sync(queue, old, next);
                return new QueueMetadata(queue, next, current.version() + 1);
            } catch (KeeperException.NodeExistsException e) {
                // Partition znodes left by an interrupted chunked alter: adopt them, then publish.
                partitionCreator.createPartitions(queue, old.partitions(), next.partitions());
                try {
                    Stat stat =
                            curator.setData()
                                    .withVersion(current.version())
                                    .forPath(ZkmqPaths.queue(queue), next.toJson());
                    configWritten.accept(queue);
                    quotas.sync(queue, old, next);
                    return new QueueMetadata(queue, next, stat.getVersion());
                } catch (KeeperException.BadVersionException again) {
                    // Changed concurrently: re-read and apply the change again.
                } catch (Exception ex) {
                    throw ZkErrors.translate(ex, "altering queue '" + queue + "'");
                }
            } catch (KeeperException.BadVersionException e) {
                // Someone changed the config in between: re-read and apply the change again.
            } catch (KeeperException.NoNodeException e) {
                throw notFound(curator, queue);
            } catch (Exception e) {
                throw ZkErrors.translate(e, "altering queue '" + queue + "'");
            }
        }
        throw new ConcurrentUpdateException(
                "Queue '"
                        + queue
                        + "' config kept changing concurrently; giving up after 10 attempts");
    }

    /** Grows the queue to {@code partitions} partitions in total (not: by that many). */
    public QueueMetadata addPartitions(String queue, int partitions) {
        return alterQueue(queue, b -> b.partitions(partitions));
    }

    /** Deletes the queue with all its data, groups and offsets. */
    public void deleteQueue(String queue) {
        Names.queue(queue);
        try {
            curator.delete()
                    .guaranteed()
                    .deletingChildrenIfNeeded()
                    .forPath(ZkmqPaths.queue(queue));
            configWritten.accept(queue);
            quotas.apply(queue, OptionalLong.empty());
        } catch (KeeperException.NoNodeException e) {
            throw notFound(curator, queue);
        } catch (Exception e) {
            throw ZkErrors.translate(e, "deleting queue '" + queue + "'");
        }
    }

    /** Consumer groups that have state in the queue, sorted. */
    public List<String> listGroups(String queue) {
        readConfig(queue);
        try {
            List<String> groups =
                    new ArrayList<>(curator.getChildren().forPath(ZkmqPaths.groups(queue)));
            groups.sort(null);
            return groups;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw ZkErrors.translate(e, "listing the groups of queue '" + queue + "'");
        }
    }

    /** Per partition: committed offset, head offset, lag and current owner of the group. */
    public List<GroupPartitionInfo> describeGroup(String queue, String group) {
        Names.group(group);
        QueueMetadata meta = readConfig(queue);
        return describer.describeGroup(meta, group, () -> listGroups(queue));
    }

    /**
     * Resolves a start position (earliest, latest, offset, timestamp, or per-partition offsets; not
     * committed) of a partition to the batch and offset to read from; throws {@code
     * OffsetOutOfRangeException} for an offset outside the retained range.
     */
    public Position resolvePosition(String queue, int partition, StartingPosition start) {
        QueuePartition qp = new QueuePartition(queue, partition);
        StartingPosition here = start.perPartition(qp);
        QueueMetadata meta = readConfig(queue);
        try {
            return new PositionResolver(curator, this, queue, meta.config().segmentBatches())
                    .resolve(partition, here);
        } catch (io.zkmq.error.ZkmqException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(e, "resolving " + start + " in " + qp);
        }
    }

    public PartitionHead readHead(String queue, int partition) {
        return state.readHead(queue, partition);
    }

    public PartitionLow readLow(String queue, int partition) {
        return state.readLow(queue, partition);
    }

    public Optional<CommittedPosition> readCommitted(String queue, String group, int partition) {
        return state.readCommitted(queue, group, partition);
    }

    public Optional<OwnerInfo> readOwner(String queue, String group, int partition) {
        return state.readOwner(queue, group, partition);
    }

    /** Names the znode with the client's namespace, as ZooKeeper's tools show it. */
    static QueueNotFoundException notFound(CuratorFramework curator, String queue) {
        return new QueueNotFoundException(
                "Queue '"
                        + queue
                        + "' does not exist (no znode "
                        + ZKPaths.makePath(curator.getNamespace(), ZkmqPaths.queue(queue))
                        + "); create it first, e.g. 'zkmq queue create "
                        + queue
                        + " --partitions 4'");
    }
}
