package io.zkmq.coordination;

import io.zkmq.queue.ZkmqPaths;
import java.util.List;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells which queues exist (the children of {@code /queues}), pushed by a children watch, for
 * readers that follow a name pattern. Watches set before a session expiry are gone and ZooKeeper
 * does not replay missed events, so the list is also re-read after every reconnect. The listener
 * gets the whole sorted list after every change, on Curator's threads.
 */
@Internal
public final class QueueListWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueListWatcher.class);

    private final CuratorFramework curator;
    private final Consumer<List<String>> listener;
    private final Watcher watcher = this::onEvent;
    private final ConnectionStateListener reconnect = this::onConnectionState;
    private volatile boolean closed;

    public QueueListWatcher(CuratorFramework curator, Consumer<List<String>> listener) {
        this.curator = curator;
        this.listener = listener;
    }

    /**
     * Lists the queues and arms the watch; returns the names, sorted (empty while there is no
     * queue).
     */
    public List<String> start() throws Exception {
        curator.getConnectionStateListenable().addListener(reconnect);
        return list();
    }

    private List<String> list() throws Exception {
        try {
            return curator.getChildren().usingWatcher(watcher).forPath(ZkmqPaths.QUEUES).stream()
                    .sorted()
                    .toList();
        } catch (KeeperException.NoNodeException e) {
            // No queue yet: watch for the root being created.
            curator.checkExists().usingWatcher(watcher).forPath(ZkmqPaths.QUEUES);
            return List.of();
        }
    }

    private void onEvent(WatchedEvent event) {
        if (event.getType() != Watcher.Event.EventType.None) {
            relist();
        }
    }

    private void onConnectionState(CuratorFramework c, ConnectionState state) {
        if (state == ConnectionState.RECONNECTED) {
            relist();
        }
    }

    private void relist() {
        curator.runSafe(
                () -> {
                    if (closed) {
                        return;
                    }
                    List<String> queues;
                    try {
                        queues = list();
                    } catch (Exception e) {
                        LOG.warn(
                                "Listing the queues under {} failed; retried on the next change or reconnect",
                                ZkmqPaths.QUEUES,
                                e);
                        return;
                    }
                    try {
                        listener.accept(queues);
                    } catch (RuntimeException e) {
                        LOG.error(
                                "The listener of the queue list under {} failed",
                                ZkmqPaths.QUEUES,
                                e);
                    }
                });
    }

    @Override
    public void close() {
        closed = true;
        curator.getConnectionStateListenable().removeListener(reconnect);
    }
}
