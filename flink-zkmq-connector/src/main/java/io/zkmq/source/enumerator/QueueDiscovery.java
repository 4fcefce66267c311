package io.zkmq.source.enumerator;

import io.zkmq.client.ZkmqClient;
import io.zkmq.connector.QueueAwait;
import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.coordination.QueueConfigWatcher;
import io.zkmq.coordination.QueueListWatcher;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.queue.ZkmqPaths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the enumerator which queues exist and how many partitions each has, pushed by ZooKeeper
 * watches (each queue's config watch, plus the client's queue-list watch in pattern mode), so there
 * is no discovery interval to tune. Listener calls arrive on ZooKeeper's event threads.
 */
final class QueueDiscovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueDiscovery.class);

    /** Receives changes after {@link #start()}. */
    interface Listener {
        void onPartitions(String queue, int partitions);

        void onQueueDeleted(String queue);
    }

    private final ZkmqClient client;
    private final List<String> named;
    private final Pattern pattern;
    private final Listener listener;
    private final Duration awaitTimeout;
    private final Map<String, QueueConfigWatcher> watchers = new ConcurrentHashMap<>();
    private QueueListWatcher queueList; // pattern mode only
    private volatile boolean closed;

    QueueDiscovery(
            ZkmqClient client,
            List<String> named,
            Pattern pattern,
            Duration awaitTimeout,
            Listener listener) {
        this.client = client;
        this.named = named;
        this.pattern = pattern;
        this.awaitTimeout = awaitTimeout;
        this.listener = listener;
    }

    /**
     * Arms the watches and returns the partition count of every queue to read now. A named queue
     * that does not exist (after waiting up to the await timeout for it) is an error: a typo would
     * otherwise read nothing, silently.
     */
    synchronized Map<String, Integer> start() throws Exception {
        Map<String, Integer> found = new TreeMap<>();
        if (pattern == null) {
            for (String queue : named) {
                Optional<QueueMetadata> meta = watch(queue);
                QueueMetadata current = meta.isPresent() ? meta.get() : awaitCreation(queue);
                found.put(queue, current.config().partitions());
            }
        } else {
            queueList = client.watchQueueList(this::onQueueList);
            for (String queue : matching(queueList.start())) {
                watch(queue).ifPresent(m -> found.put(queue, m.config().partitions()));
            }
        }
        return found;
    }

    /**
     * Throws {@link io.zkmq.error.QueueNotFoundException} if the queue is not created within the
     * await timeout.
     */
    private QueueMetadata awaitCreation(String queue) throws InterruptedException {
        if (!awaitTimeout.isZero()) {
            LOG.info(
                    "Queue '{}' does not exist yet; waiting up to {} ms for it to be created",
                    queue,
                    awaitTimeout.toMillis());
        }
        QueueMetadata created = QueueAwait.await(client, queue, awaitTimeout);
        joinMaintenance(queue);
        return created;
    }

    private Optional<QueueMetadata> watch(String queue) throws Exception {
        QueueConfigWatcher watcher = client.watchConfig(queue);
        if (watchers.putIfAbsent(queue, watcher) == null) {
            watcher.addListener(
                    meta -> {
                        if (closed) {
                            return;
                        }
                        if (meta.isPresent()) {
                            joinMaintenance(queue);
                            listener.onPartitions(queue, meta.get().config().partitions());
                        } else {
                            listener.onQueueDeleted(queue);
                        }
                    });
        }
        Optional<QueueMetadata> current = watcher.current();
        if (current.isPresent()) {
            joinMaintenance(queue);
        }
        return current;
    }

    /**
     * The enumerator stands for the job in the queue's maintenance election (retention, transaction
     * clean-up), as plain consumers and producers do: a queue used only by Flink jobs is maintained
     * too.
     */
    private void joinMaintenance(String queue) {
        try {
            client.joinMaintenance(
                    queue, new MaintenanceLeader.Settings(client.options().maintenanceInterval()));
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(QueueDiscovery.class)
                    .warn(
                            "Could not join the maintenance election of queue '{}': {}",
                            queue,
                            e.toString());
        }
    }

    private List<String> matching(List<String> queues) {
        return queues.stream().filter(q -> pattern.matcher(q).matches()).toList();
    }

    /** The queue list changed (or was re-read after a reconnect): watch the new matching queues. */
    private void onQueueList(List<String> queues) {
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                for (String queue : matching(queues)) {
                    if (!watchers.containsKey(queue)) {
                        Optional<QueueMetadata> meta = watch(queue);
                        meta.ifPresent(m -> listener.onPartitions(queue, m.config().partitions()));
                    }
                }
            }
        } catch (ZkmqException e) {
            LOG.warn("Queue discovery failed: {}", e.getMessage());
        } catch (Exception e) {
            LOG.warn(
                    "Queue discovery under {} failed; retried on the next change or reconnect",
                    ZkmqPaths.QUEUES,
                    e);
        }
    }

    @Override
    public void close() {
        QueueListWatcher list;
        synchronized (this) {
            closed = true;
            list = queueList;
        }
        // Outside this lock: the list watcher calls onQueueList, which takes it.
        if (list != null) {
            list.close();
        }
    }
}
