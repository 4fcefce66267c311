package io.zkmq.coordination;

import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.queue.ZkmqPaths;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest configuration of one queue, pushed by a data watch on the queue's znode.
 * ZooKeeper watches do not replay changes missed while disconnected, so the config is also re-read
 * after every reconnect. Listeners see each newer version once, in version order.
 */
@Internal
public final class QueueConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueConfigWatcher.class);

    private final CuratorFramework curator;
    private final String queue;
    private final String path;
    private final AtomicReference<QueueMetadata> current = new AtomicReference<>();
    private final AtomicBoolean deleted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CopyOnWriteArrayList<Consumer<Optional<QueueMetadata>>> listeners =
            new CopyOnWriteArrayList<>();
    private final Watcher watcher = this::onEvent;
    private final ConnectionStateListener reconnect = this::onConnectionState;

    public QueueConfigWatcher(CuratorFramework curator, String queue) {
        this.curator = curator;
        this.queue = queue;
        this.path = ZkmqPaths.queue(queue);
    }

    /**
     * Reads the config and arms the watch; returns the config, or empty if the queue does not
     * exist.
     */
    public Optional<QueueMetadata> start() throws Exception {
        curator.getConnectionStateListenable().addListener(reconnect);
        return refresh();
    }

    /** The latest known config, or empty if the queue does not exist (or was deleted). */
    public Optional<QueueMetadata> current() {
        return deleted.get() ? Optional.empty() : Optional.ofNullable(current.get());
    }

    /**
     * Re-reads the config now, on the caller's thread. Watch events arrive asynchronously, so a
     * client that has just created, changed or deleted the queue calls this to see its own write at
     * once.
     */
    public Optional<QueueMetadata> refreshNow() throws Exception {
        return refresh();
    }

    /** Called with the new config on every change, or with empty when the queue is deleted. */
    public void addListener(Consumer<Optional<QueueMetadata>> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Optional<QueueMetadata>> listener) {
        listeners.remove(listener);
    }

    private synchronized Optional<QueueMetadata> refresh() throws Exception {
        if (closed.get()) {
            return current();
        }
        Stat stat = new Stat();
        byte[] data;
        try {
            data = curator.getData().storingStatIn(stat).usingWatcher(watcher).forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // Watch for the queue being (re)created.
            curator.checkExists().usingWatcher(watcher).forPath(path);
            if (!deleted.getAndSet(true) && current.get() != null) {
                notifyListeners(Optional.empty());
            }
            return Optional.empty();
        }
        if (data == null || data.length == 0) {
            // Deleted and re-appearing as an empty container (or being created): no queue yet.
            if (!deleted.getAndSet(true) && current.get() != null) {
                notifyListeners(Optional.empty());
            }
            return Optional.empty();
        }
        QueueMetadata fresh =
                new QueueMetadata(queue, QueueConfig.fromJson(data, path), stat.getVersion());
        QueueMetadata old = current.get();
        boolean wasDeleted = deleted.getAndSet(false);
        if (old == null || wasDeleted || fresh.version() > old.version()) {
            current.set(fresh);
            if (old != null || wasDeleted) {
                notifyListeners(Optional.of(fresh));
            }
        }
        return current();
    }

    private void notifyListeners(Optional<QueueMetadata> value) {
        for (Consumer<Optional<QueueMetadata>> l : listeners) {
            try {
                l.accept(value);
            } catch (RuntimeException e) {
                LOG.error("Queue config listener of '{}' failed", queue, e);
            }
        }
    }

    private void onEvent(WatchedEvent event) {
        if (event.getType() != Watcher.Event.EventType.None) {
            refreshQuietly();
        }
    }

    private void onConnectionState(CuratorFramework c, ConnectionState state) {
        if (state == ConnectionState.RECONNECTED) {
            refreshQuietly();
        }
    }

    private void refreshQuietly() {
        // Runs on Curator's event thread; a failure here is retried on the next reconnect.
        curator.runSafe(
                () -> {
                    try {
                        refresh();
                    } catch (Exception e) {
                        LOG.warn(
                                "Could not re-read the config of queue '{}' at {}: {}",
                                queue,
                                path,
                                e.toString());
                    }
                });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            curator.getConnectionStateListenable().removeListener(reconnect);
            listeners.clear();
        }
    }
}
