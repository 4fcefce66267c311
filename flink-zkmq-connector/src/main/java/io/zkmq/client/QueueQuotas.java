package io.zkmq.client;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.ZkmqPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Quotas;
import org.apache.zookeeper.StatsTrack;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.cli.DelQuotaCommand;
import org.apache.zookeeper.cli.SetQuotaCommand;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Keeps ZooKeeper's hard byte quota on a queue in line with the {@code quotaBytes} of its config,
 * through ZooKeeper's own quota API, and reads the usage the servers count. The quota covers the
 * queue's {@code partitions} subtree (every record batch, staged batch and partition marker), not
 * its groups: a full queue refuses appends while consumers can still commit offsets and take
 * partitions. The servers enforce it only with {@code zookeeper.enforceQuota=true}.
 */
final class QueueQuotas {
    private final CuratorFramework curator;
    private final boolean digestAuth;

    QueueQuotas(CuratorFramework curator, boolean digestAuth) {
        this.curator = curator;
        this.digestAuth = digestAuth;
    }

    /** Sets, changes or removes the queue's quota after its config changed from {@code old} to {@code next}. */
    void sync(String queue, QueueConfig old, QueueConfig next) {
        // Also when unchanged: re-running an alter repairs a quota whose earlier update failed half-way.
        if (old.quotaBytes().isPresent() || next.quotaBytes().isPresent()) {
            apply(queue, next.quotaBytes());
        }
    }

    /** Sets the queue's hard byte limit to {@code quotaBytes}, or removes its quota when empty. */
    void apply(String queue, OptionalLong quotaBytes) {
        String path = absolutePath(queue);
        try {
            ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
            if (quotaBytes.isEmpty()) {
                if (zk.exists(Quotas.limitPath(path), false) != null) {
                    DelQuotaCommand.delQuota(zk, path, null);
                }
                return;
            }
            StatsTrack limit = new StatsTrack();
            limit.setByteHardLimit(quotaBytes.getAsLong());
            SetQuotaCommand.createQuota(zk, path, limit);
            if (digestAuth) {
                // ZooKeeper creates quota znodes open to everyone; under digest auth only this identity
                // may then change or drop the queue's limit (its parent directories stay shared).
                for (String node : List.of(Quotas.quotaPath(path), Quotas.limitPath(path), Quotas.statPath(path))) {
                    zk.setACL(node, ZooDefs.Ids.CREATOR_ALL_ACL, -1);
                }
            }
        } catch (IllegalArgumentException e) {
            // createQuota's word for a quota on a parent or child path (ZooKeeper quotas do not nest).
            throw new InvalidConfigException("Cannot set the byte quota of queue '" + queue + "' on znode " + path
                    + ": " + e.getMessage() + " (ZooKeeper quotas cannot nest; remove the other quota first)", e);
        } catch (Exception e) {
            throw ZkErrors.translate(e, "setting the byte quota of queue '" + queue + "' on znode " + path
                    + " (quota znode " + Quotas.limitPath(path) + ")");
        }
    }

    /** ZooKeeper's limit and count for the queue, empty if it has no quota there. */
    Optional<QuotaUsage> usage(String queue) {
        String path = absolutePath(queue);
        try {
            ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
            StatsTrack limit = new StatsTrack(zk.getData(Quotas.limitPath(path), false, null));
            StatsTrack stats = new StatsTrack(zk.getData(Quotas.statPath(path), false, null));
            return Optional.of(new QuotaUsage(limit.getByteHardLimit(), stats.getBytes()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading the byte quota of queue '" + queue + "' (znode " + Quotas.statPath(path) + ")");
        }
    }

    /** The quota lies on the queue's partitions, as an absolute path: ZooKeeper's quota tree knows no namespaces. */
    private String absolutePath(String queue) {
        return ZKPaths.fixForNamespace(curator.getNamespace(), ZkmqPaths.partitions(queue));
    }
}
