package io.zkmq.coordination;

import io.zkmq.error.FencedException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.EpochInfo;
import io.zkmq.queue.OwnerInfo;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.utils.ZKPaths;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The exactly-one-reader lock of a (group, partition) with fencing. Taking it is one transaction:
 * create the ephemeral {@code owner} znode and bump the version of the persistent {@code epoch}
 * znode; that version is the {@link OwnershipToken}. A commit is {@code multi(check(epoch, token),
 * setData(offset))}, so a zombie whose session expired (and whose lock someone else took) gets
 * {@link FencedException}, never a silent success. An owner re-attempting with the same owner id (a
 * restarted task of the same job) takes over its own stale lock at once.
 *
 * <p>Stateless apart from its names: methods are blocking ZooKeeper calls and thread-safe.
 */
@Internal
public final class PartitionOwnership {
    private final CuratorFramework curator;
    private final QueuePartition partition;
    private final String group;
    private final String epochPath;
    private final String ownerPath;
    private final String offsetPath;

    public PartitionOwnership(CuratorFramework curator, QueuePartition partition, String group) {
        this.curator = curator;
        this.partition = partition;
        this.group = group;
        this.epochPath = ZkmqPaths.epoch(partition.queue(), group, partition.partition());
        this.ownerPath = ZkmqPaths.owner(partition.queue(), group, partition.partition());
        this.offsetPath = ZkmqPaths.offset(partition.queue(), group, partition.partition());
    }

    /** Result of an attempt: the token if taken, else who holds the lock. */
    public record Attempt(Optional<OwnershipToken> token, Optional<OwnerInfo> holder) {
        public boolean taken() {
            return token.isPresent();
        }
    }

    /** Tries to take the lock without waiting. */
    public Attempt tryTake(String ownerId) throws Exception {
        ensureNodes();
        ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
        long session = zk.getSessionId();
        long sessionTimeout = zk.getSessionTimeout(); // negotiated: what ZooKeeper enforces
        for (int attempt = 0; attempt < 5; attempt++) {
            Stat ownerStat = new Stat();
            OwnerInfo holder = null;
            try {
                holder =
                        OwnerInfo.fromJson(
                                curator.getData().storingStatIn(ownerStat).forPath(ownerPath),
                                ownerPath);
            } catch (KeeperException.NoNodeException e) {
                ownerStat = null;
            }
            Stat epochStat = new Stat();
            curator.getData().storingStatIn(epochStat).forPath(epochPath);
            if (holder != null) {
                if (holder.ownerId().equals(ownerId)
                        && holder.sessionId() == session
                        && holder.epoch() == epochStat.getVersion()) {
                    return new Attempt(
                            Optional.of(token(ownerId, epochStat.getVersion())), Optional.empty());
                }
                if (!holder.ownerId().equals(ownerId)) {
                    return new Attempt(Optional.empty(), Optional.of(holder));
                }
            }
            int next = epochStat.getVersion() + 1;
            List<CuratorOp> ops = new ArrayList<>();
            if (holder != null) {
                ops.add(
                        curator.transactionOp()
                                .delete()
                                .withVersion(ownerStat.getVersion())
                                .forPath(ownerPath));
            }
            ops.add(
                    curator.transactionOp()
                            .create()
                            .withMode(CreateMode.EPHEMERAL)
                            .forPath(
                                    ownerPath,
                                    new OwnerInfo(ownerId, next, session, sessionTimeout)
                                            .toJson()));
            byte[] epochData = new EpochInfo(ownerId, System.currentTimeMillis()).toJson();
            ops.add(
                    curator.transactionOp()
                            .setData()
                            .withVersion(epochStat.getVersion())
                            .forPath(epochPath, epochData));
            try {
                curator.transaction().forOperations(ops);
                return new Attempt(Optional.of(token(ownerId, next)), Optional.empty());
            } catch (KeeperException.NodeExistsException
                    | KeeperException.BadVersionException
                    | KeeperException.NoNodeException e) {
                // Raced with another taker or a vanishing stale owner: look again.
            }
        }
        return new Attempt(Optional.empty(), currentOwner());
    }

    /** Commits a position, fenced by the token. */
    public void commit(OwnershipToken token, CommittedPosition position) throws Exception {
        try {
            curator.transaction()
                    .forOperations(
                            curator.transactionOp()
                                    .check()
                                    .withVersion(token.epoch())
                                    .forPath(epochPath),
                            curator.transactionOp()
                                    .setData()
                                    .forPath(offsetPath, position.toJson()));
        } catch (KeeperException.BadVersionException e) {
            throw new FencedException(
                    "Commit of "
                            + position.position()
                            + " to "
                            + partition.describe()
                            + " for group '"
                            + group
                            + "' rejected: owner '"
                            + token.ownerId()
                            + "' holds epoch "
                            + token.epoch()
                            + " but the partition was taken over since (znode "
                            + epochPath
                            + " moved on)",
                    e);
        } catch (KeeperException.NoNodeException e) {
            throw new QueueNotFoundException(
                    "Group '"
                            + group
                            + "' of "
                            + partition.describe()
                            + " no longer exists (znode "
                            + epochPath
                            + ")");
        } catch (KeeperException.SessionExpiredException e) {
            // The ephemeral lock died with the session, so this owner no longer holds the
            // partition.
            throw new FencedException(
                    "Commit of "
                            + position.position()
                            + " to "
                            + partition.describe()
                            + " for group '"
                            + group
                            + "' rejected: the ZooKeeper session of owner '"
                            + token.ownerId()
                            + "' expired, which released its lock (epoch "
                            + token.epoch()
                            + ")",
                    e);
        }
    }

    /** Releases the lock if this token still holds it; harmless otherwise. */
    public void release(OwnershipToken token) throws Exception {
        Stat stat = new Stat();
        try {
            OwnerInfo holder =
                    OwnerInfo.fromJson(
                            curator.getData().storingStatIn(stat).forPath(ownerPath), ownerPath);
            if (holder.ownerId().equals(token.ownerId()) && holder.epoch() == token.epoch()) {
                curator.delete().withVersion(stat.getVersion()).forPath(ownerPath);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // Already gone or already someone else's.
        }
    }

    /** Whether the token still holds the lock (its owner node exists with the token's epoch). */
    public boolean stillHolds(OwnershipToken token) throws Exception {
        Optional<OwnerInfo> owner = currentOwner();
        return owner.isPresent()
                && owner.get().ownerId().equals(token.ownerId())
                && owner.get().epoch() == token.epoch();
    }

    public Optional<OwnerInfo> currentOwner() throws Exception {
        try {
            return Optional.of(OwnerInfo.fromJson(curator.getData().forPath(ownerPath), ownerPath));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    /** The committed position of the group in this partition, if any. */
    public Optional<CommittedPosition> committed() throws Exception {
        try {
            byte[] data = curator.getData().forPath(offsetPath);
            return data == null || data.length == 0
                    ? Optional.empty()
                    : Optional.of(CommittedPosition.fromJson(data, offsetPath));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    public String ownerPath() {
        return ownerPath;
    }

    private OwnershipToken token(String ownerId, int epoch) {
        return new OwnershipToken(partition.queue(), group, partition.partition(), ownerId, epoch);
    }

    private void ensureNodes() throws Exception {
        if (curator.checkExists().forPath(offsetPath) != null) {
            return;
        }
        String queuePath = ZkmqPaths.queue(partition.queue());
        if (curator.checkExists().forPath(queuePath) == null) {
            throw new QueueNotFoundException(
                    "Queue '"
                            + partition.queue()
                            + "' does not exist (no znode "
                            + ZKPaths.makePath(curator.getNamespace(), queuePath)
                            + ")");
        }
        for (String path : new String[] {epochPath, offsetPath}) {
            try {
                curator.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
            } catch (KeeperException.NodeExistsException ignored) {
                // Created concurrently.
            }
        }
    }
}
