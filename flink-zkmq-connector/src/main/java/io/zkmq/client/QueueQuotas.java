package io.zkmq.client;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.ZkmqPaths;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Quotas;
import org.apache.zookeeper.StatsTrack;
import org.apache.zookeeper.ZKUtil;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ConnectStringParser;
import org.apache.zookeeper.data.ACL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ZooKeeper's hard byte quota on a queue in line with the {@code quotaBytes} of its config,
 * with ZooKeeper's quota layout and types ({@link Quotas}, {@link StatsTrack}), and reads the usage
 * the servers count. The quota covers the queue's {@code partitions} subtree (every record batch,
 * staged batch and partition marker), not its groups: a full queue refuses appends while consumers
 * can still commit offsets and take partitions. The servers enforce it only with {@code
 * zookeeper.enforceQuota=true}.
 */
final class QueueQuotas {
    private static final Logger LOG = LoggerFactory.getLogger(QueueQuotas.class);

    private final CuratorFramework curator;
    private final boolean digestAuth;

    QueueQuotas(CuratorFramework curator, boolean digestAuth) {
        this.curator = curator;
        this.digestAuth = digestAuth;
    }

    /**
     * Sets, changes or removes the queue's quota after its config changed from {@code old} to
     * {@code next}.
     */
    void sync(String queue, QueueConfig old, QueueConfig next) {
        // Also when unchanged: re-running an alter repairs a quota whose earlier update failed
        // half-way.
        if (old.effectiveQuotaBytes().isPresent() || next.effectiveQuotaBytes().isPresent()) {
            apply(queue, next);
        }
    }

    /**
     * Sets the quota {@code config} asks for ({@link QueueConfig#effectiveQuotaBytes()}). The
     * derived default of a tiered queue gives way to a quota on a parent or child znode (quotas
     * cannot nest): that quota bounds the hot tail instead; an explicit one is refused.
     */
    void apply(String queue, QueueConfig config) {
        boolean derived = config.quotaBytes().isEmpty();
        apply(queue, config.effectiveQuotaBytes(), derived);
    }

    /** Sets the queue's hard byte limit to {@code quotaBytes}, or removes its quota when empty. */
    void apply(String queue, OptionalLong quotaBytes) {
        apply(queue, quotaBytes, false);
    }

    private void apply(String queue, OptionalLong quotaBytes, boolean derived) {
        String path = absolutePath(queue);
        if (quotaBytes.isEmpty() && chroot().isPresent()) {
            return; // a chrooted session can neither have set a quota nor see one to remove
        }
        requireNoChroot(queue, path);
        try {
            ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
            if (quotaBytes.isEmpty()) {
                remove(zk, path);
            } else {
                set(zk, queue, path, quotaBytes.getAsLong(), derived);
            }
        } catch (ZkmqException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e,
                    "setting the byte quota of queue '"
                            + queue
                            + "' on znode "
                            + path
                            + " (quota znode "
                            + Quotas.limitPath(path)
                            + ")");
        }
    }

    /**
     * What {@code SetQuotaCommand.createQuota} does (that class needs commons-cli, which ZooKeeper
     * only declares as "provided"): the limit znode first, then the stats znode, whose creation
     * makes the servers count the subtree's current usage.
     */
    private void set(ZooKeeper zk, String queue, String path, long bytes, boolean derived)
            throws Exception {
        try {
            requireNoNestedQuota(zk, queue, path);
        } catch (InvalidConfigException nested) {
            if (!derived) {
                throw nested;
            }
            LOG.info(
                    "Queue '{}' gets no default quota of {} bytes for its hot tail: {}",
                    queue,
                    bytes,
                    nested.getMessage());
            return;
        }
        String dir = Quotas.quotaPath(path);
        for (int slash = dir.indexOf('/', Quotas.quotaZookeeper.length() + 1);
                slash > 0;
                slash = dir.indexOf('/', slash + 1)) {
            createIfMissing(zk, dir.substring(0, slash), null, ZooDefs.Ids.OPEN_ACL_UNSAFE);
        }
        // Under digest auth only this identity may change or drop the queue's limit; the shared
        // parents stay open, as ZooKeeper creates them.
        List<ACL> acl = digestAuth ? ZooDefs.Ids.CREATOR_ALL_ACL : ZooDefs.Ids.OPEN_ACL_UNSAFE;
        createIfMissing(zk, dir, null, acl);
        StatsTrack limit = new StatsTrack();
        limit.setByteHardLimit(bytes);
        if (!createIfMissing(zk, Quotas.limitPath(path), limit.getStatsBytes(), acl)) {
            StatsTrack existing = new StatsTrack(zk.getData(Quotas.limitPath(path), false, null));
            existing.setByteHardLimit(bytes);
            zk.setData(Quotas.limitPath(path), existing.getStatsBytes(), -1);
        }
        StatsTrack zero = new StatsTrack();
        zero.setCount(0);
        zero.setBytes(0L);
        createIfMissing(zk, Quotas.statPath(path), zero.getStatsBytes(), acl);
    }

    /**
     * ZooKeeper enforces only the deepest quota on a path, so its own tools refuse nested quotas;
     * so do we.
     */
    private static void requireNoNestedQuota(ZooKeeper zk, String queue, String path)
            throws Exception {
        for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
            String parent = path.substring(0, slash);
            if (zk.exists(Quotas.limitPath(parent), false) != null) {
                throw nested(queue, path, "its parent " + parent);
            }
        }
        String dir = Quotas.quotaPath(path);
        if (zk.exists(dir, false) != null) {
            for (String node : ZKUtil.listSubTreeBFS(zk, dir)) {
                if (node.endsWith("/" + Quotas.limitNode) && !node.equals(Quotas.limitPath(path))) {
                    throw nested(
                            queue,
                            path,
                            "znode "
                                    + Quotas.trimQuotaPath(
                                            node.substring(0, node.lastIndexOf('/'))));
                }
            }
        }
    }

    private static InvalidConfigException nested(String queue, String path, String other) {
        return new InvalidConfigException(
                "Cannot set the byte quota of queue '"
                        + queue
                        + "' on znode "
                        + path
                        + ": "
                        + other
                        + " has a ZooKeeper quota, and ZooKeeper quotas cannot nest; remove that quota first");
    }

    /** Creates the znode; false if it was there already. */
    private static boolean createIfMissing(ZooKeeper zk, String path, byte[] data, List<ACL> acl)
            throws Exception {
        try {
            zk.create(path, data, acl, CreateMode.PERSISTENT);
            return true;
        } catch (KeeperException.NodeExistsException e) {
            return false;
        }
    }

    /**
     * What {@code DelQuotaCommand.delQuota} does: the limit and stats znodes, then parents left
     * empty.
     */
    private static void remove(ZooKeeper zk, String path) throws Exception {
        for (String node : List.of(Quotas.limitPath(path), Quotas.statPath(path))) {
            try {
                zk.delete(node, -1);
            } catch (KeeperException.NoNodeException e) {
                // Already gone.
            }
        }
        for (String dir = Quotas.quotaPath(path);
                dir.length() > Quotas.quotaZookeeper.length();
                dir = dir.substring(0, dir.lastIndexOf('/'))) {
            try {
                zk.delete(dir, -1);
            } catch (KeeperException.NoNodeException e) {
                // Already gone: go on with its parent.
            } catch (KeeperException.NotEmptyException e) {
                return; // still holds another quota
            }
        }
    }

    /**
     * ZooKeeper's limit and count for the queue, empty if it has no quota there or the session is
     * chrooted (it cannot see the quota tree then).
     */
    Optional<QuotaUsage> usage(String queue) {
        String path = absolutePath(queue);
        if (chroot().isPresent()) {
            return Optional.empty();
        }
        try {
            ZooKeeper zk = curator.getZookeeperClient().getZooKeeper();
            StatsTrack limit = new StatsTrack(zk.getData(Quotas.limitPath(path), false, null));
            StatsTrack stats = new StatsTrack(zk.getData(Quotas.statPath(path), false, null));
            return Optional.of(new QuotaUsage(limit.getByteHardLimit(), stats.getBytes()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e,
                    "reading the byte quota of queue '"
                            + queue
                            + "' (znode "
                            + Quotas.statPath(path)
                            + ")");
        }
    }

    /**
     * A session whose connect string ends in a chroot ({@code host:port/app}) sees only the tree
     * below it, not ZooKeeper's quota tree under {@code /zookeeper/quota}: say so instead of
     * failing with a missing znode.
     */
    private void requireNoChroot(String queue, String path) {
        Optional<String> chroot = chroot();
        if (chroot.isPresent()) {
            throw new InvalidConfigException(
                    "Cannot set the byte quota of queue '"
                            + queue
                            + "' on znode "
                            + path
                            + ": the ZooKeeper connect string has the chroot '"
                            + chroot.get()
                            + "', and a chrooted session cannot reach ZooKeeper's quota tree "
                            + Quotas.quotaZookeeper
                            + "; connect without a chroot and use a namespace instead (ZKMQ keeps"
                            + " each namespace in its own znode tree)");
        }
    }

    private Optional<String> chroot() {
        String connectString = curator.getZookeeperClient().getCurrentConnectionString();
        return Optional.ofNullable(new ConnectStringParser(connectString).getChrootPath());
    }

    /**
     * The quota lies on the queue's partitions, as an absolute path: ZooKeeper's quota tree knows
     * no namespaces.
     */
    private String absolutePath(String queue) {
        return ZKPaths.fixForNamespace(curator.getNamespace(), ZkmqPaths.partitions(queue));
    }
}
