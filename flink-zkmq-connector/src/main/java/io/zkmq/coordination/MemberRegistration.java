package io.zkmq.coordination;

import io.zkmq.queue.Json;
import io.zkmq.queue.ZkmqPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Registers a live producer or consumer as an ephemeral znode {@code members/<role>/<id>}. The
 * ZooKeeper session is the heartbeat; Curator's {@link PersistentNode} re-creates the node after a
 * session is lost and a new one opened, so a member that recovers is visible again.
 */
public final class MemberRegistration implements AutoCloseable {
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

    @Override
    public void close() {
        try {
            node.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
