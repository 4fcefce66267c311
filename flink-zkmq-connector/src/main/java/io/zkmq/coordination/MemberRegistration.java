package io.zkmq.coordination;

import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkErrors;
import io.zkmq.queue.MemberInfo;
import io.zkmq.queue.ZkmqPaths;
import java.io.IOException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.utils.ZKPaths;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a live producer or consumer as an ephemeral znode {@code members/<role>/<id>}. The
 * ZooKeeper session is the heartbeat; Curator's {@link PersistentNode} re-creates the node after a
 * session is lost and a new one opened, so a member that recovers is visible again.
 */
@Internal
public final class MemberRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberRegistration.class);

    private final PersistentNode node;
    private final java.util.concurrent.atomic.AtomicBoolean closed =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Registers a live member of the queue under {@code members/<role>/<id>}. */
    public static MemberRegistration forRole(
            CuratorFramework curator, String queue, String role, String id) {
        return new MemberRegistration(curator, queue, ZkmqPaths.member(queue, role, id), id);
    }

    /**
     * Registers at an explicit path below the queue's znode, e.g. a consumer group's member
     * directory. The directories between the queue znode and the node are created now; the node
     * itself never re-creates parents, so a deleted queue does not come back as an empty ghost.
     */
    public MemberRegistration(CuratorFramework curator, String queue, String path, String id) {
        ensureDirectories(curator, queue, ZKPaths.getPathAndNode(path).getPath());
        byte[] data = new MemberInfo(id, hostName(), System.currentTimeMillis()).toJson();
        this.node = new PersistentNode(curator, CreateMode.EPHEMERAL, false, path, data, false);
    }

    private static void ensureDirectories(CuratorFramework curator, String queue, String dir) {
        String queuePath = ZkmqPaths.queue(queue);
        if (dir.equals(queuePath)) {
            return;
        }
        try {
            curator.create().forPath(dir, new byte[0]);
        } catch (KeeperException.NodeExistsException e) {
            // Already there.
        } catch (KeeperException.NoNodeException e) {
            if (ZKPaths.getPathAndNode(dir).getPath().equals(queuePath)) {
                throw new QueueNotFoundException(
                        "Queue '"
                                + queue
                                + "' does not exist (no znode "
                                + ZKPaths.makePath(curator.getNamespace(), queuePath)
                                + ")");
            }
            ensureDirectories(curator, queue, ZKPaths.getPathAndNode(dir).getPath());
            ensureDirectories(curator, queue, dir);
        } catch (Exception e) {
            throw ZkErrors.translate(e, "creating " + dir);
        }
    }

    public void start() {
        node.start();
    }

    /** The registered path (as created, relative to the namespace). */
    public String path() {
        return node.getActualPath();
    }

    /** Leaves the registry. Best effort: if the session is gone, so is the ephemeral node. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            // Closing while the first create is in flight makes Curator log spurious errors.
            node.waitForInitialCreate(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            node.close();
        } catch (IOException e) {
            LOG.debug("Could not delete member node {} (it goes with the session)", path(), e);
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
