package io.zkmq.client;

import io.zkmq.error.ZkErrors;
import io.zkmq.queue.SinkSettings;
import io.zkmq.queue.ZkmqPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * What is known about the exactly-once sinks of a transactional id prefix, under {@code /sinks}:
 * the queues they stage in (so lingering transactions are always found) and their
 * abandoned-transaction timeout. Blocking and thread-safe.
 */
final class SinkRegistry {
    private final CuratorFramework curator;

    /** Registrations this client made already: each is written once per client. */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    SinkRegistry(CuratorFramework curator) {
        this.curator = curator;
    }

    void registerSinkQueue(String prefix, String queue) {
        if (!registered.add(ZkmqPaths.sinkQueue(prefix, queue))) {
            return;
        }
        try {
            curator.create().creatingParentsIfNeeded().forPath(ZkmqPaths.sinkQueue(prefix, queue));
        } catch (KeeperException.NodeExistsException e) {
            // registered earlier
        } catch (Exception e) {
            registered.remove(ZkmqPaths.sinkQueue(prefix, queue));
            throw ZkErrors.translate(
                    e, "registering sink prefix '" + prefix + "' for queue '" + queue + "'");
        }
    }

    void registerSinkTimeout(String prefix, Duration abandonedTimeout) {
        byte[] data = new SinkSettings(abandonedTimeout).toJson();
        String path = ZkmqPaths.sink(prefix);
        try {
            try {
                curator.create().creatingParentsIfNeeded().forPath(path, data);
            } catch (KeeperException.NodeExistsException e) {
                curator.setData().forPath(path, data);
            }
        } catch (Exception e) {
            throw ZkErrors.translate(e, "registering sink prefix '" + prefix + "'");
        }
    }

    Duration sinkTimeout(String prefix, Duration fallback) {
        String path = ZkmqPaths.sink(prefix);
        try {
            byte[] data = curator.getData().forPath(path);
            if (data == null || data.length == 0) {
                return fallback;
            }
            return SinkSettings.fromJson(data, path).abandonedTimeout();
        } catch (KeeperException.NoNodeException e) {
            return fallback;
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading " + path);
        }
    }

    List<String> sinkQueues(String prefix) {
        try {
            List<String> queues =
                    new ArrayList<>(curator.getChildren().forPath(ZkmqPaths.sinkQueues(prefix)));
            queues.sort(null);
            return queues;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw ZkErrors.translate(e, "listing the queues of sink prefix '" + prefix + "'");
        }
    }
}
