package io.zkmq.coordination;

import io.zkmq.queue.Json;
import io.zkmq.queue.ZkmqPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a live producer or consumer as an ephemeral znode {@code members/<role>/<id>}. The
 * ZooKeeper session is the heartbeat; Curator's {@link PersistentNode} re-creates the node after a
 * session is lost and a new one opened, so a member that recovers is visible again.
 */
public final class MemberRegistration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberRegistration.class);

    private final PersistentNode node;

    public MemberRegistration(CuratorFramework curator, String queue, String role, String id) {
        this(curator, ZkmqPaths.member(queue, role, id), id);
    }

    /** Registers at an explicit path, e.g. a consumer group's member directory. */
    public MemberRegistration(CuratorFramework curator, String path, String id) {
        var data = Json.object();
        data.put("id", id);
        data.put("host", hostName());
        data.put("since", System.currentTimeMillis());
        this.node = new PersistentNode(curator, CreateMode.EPHEMERAL, false, path, Json.write(data));
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
