package io.zkmq.client;

import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.coordination.MaintenanceTask;
import io.zkmq.coordination.QueueConfigWatcher;
import io.zkmq.coordination.QueueListWatcher;
import io.zkmq.coordination.RetentionTask;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.error.ZooKeeperUnavailableException;
import io.zkmq.queue.Names;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.tier.TierFileSystems;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.flink.annotation.PublicEvolving;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the queue client: one ZooKeeper session (through Curator) shared by an admin, any
 * number of producers and consumers, the config watches of the queues they use and the retention
 * leader election. Thread-safe. Close it to end the session.
 *
 * <pre>{@code
 * try (ZkmqClient client = ZkmqClient.connect(ZkmqClientOptions.builder("localhost:2181").build())) {
 *     client.admin().createQueue("orders", QueueConfig.builder().partitions(4).build());
 *     try (ZkmqProducer producer = client.producer("orders")) {
 *         producer.send(Record.of("key", "value")).join();
 *     }
 * }
 * }</pre>
 */
@PublicEvolving
public final class ZkmqClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqClient.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /**
     * How long a failed connect waits for its half-open ZooKeeper handle to close before leaving
     * that to a thread.
     */
    private static final Duration FAILED_CONNECT_CLOSE_WAIT = Duration.ofSeconds(1);

    private final ZkmqClientOptions options;
    private final CuratorFramework curator;
    private final BackgroundErrors backgroundErrors;
    private final QueueAdmin admin;
    private final TransactionStore transactions;
    private final ScheduledExecutorService scheduler;
    private final Map<String, QueueConfigWatcher> watchers = new ConcurrentHashMap<>();
    private final Map<String, MaintenanceLeader> maintenance = new ConcurrentHashMap<>();
    private final List<AutoCloseable> children = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ZkmqClient(
            ZkmqClientOptions options, CuratorFramework curator, BackgroundErrors errors) {
        this.options = options;
        this.curator = curator;
        this.backgroundErrors = errors;
        errors.addListener(this::failPendingSends);
        this.admin = new QueueAdmin(curator, this::configWritten, options.digestAuth().isPresent());
        this.transactions = new TransactionStore(curator, admin);
        ScheduledThreadPoolExecutor timers =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "zkmq-client-" + THREADS.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        // Producers arm a request timer per append and cancel almost all of them: drop them at
        // once.
        timers.setRemoveOnCancelPolicy(true);
        this.scheduler = timers;
    }

    /**
     * Connects and waits for the first session; throws {@link ZooKeeperUnavailableException} if
     * ZooKeeper does not answer within the connection timeout.
     */
    public static ZkmqClient connect(ZkmqClientOptions options) {
        // Before the session: a conflicting process-wide file-system setup fails the connect. None
        // given (as in Flink jobs, whose file systems the TaskManager set up) touches nothing.
        if (!options.tierFileSystems().isEmpty()) {
            TierFileSystems.apply(options.tierFileSystems());
        }
        CuratorFrameworkFactory.Builder builder =
                CuratorFrameworkFactory.builder()
                        .connectString(options.connectString())
                        .namespace(options.namespace())
                        .sessionTimeoutMs((int) options.sessionTimeout().toMillis())
                        .connectionTimeoutMs((int) options.connectionTimeout().toMillis())
                        .retryPolicy(
                                new ExponentialBackoffRetry(
                                        (int) options.retryBaseSleep().toMillis(),
                                        options.maxRetries(),
                                        (int) ZkmqClientOptions.MAX_RETRY_BASE_SLEEP.toMillis()));
        options.digestAuth()
                .ifPresent(
                        auth ->
                                builder.authorization(
                                                "digest", auth.getBytes(StandardCharsets.UTF_8))
                                        .aclProvider(new CreatorOnlyAcl()));
        CuratorFramework curator = builder.build();
        BackgroundErrors errors = new BackgroundErrors(options.connectString());
        curator.getUnhandledErrorListenable().addListener(errors);
        curator.start();
        try {
            if (!curator.blockUntilConnected(
                    (int) options.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                closeFailed(curator, options);
                throw new ZooKeeperUnavailableException(
                        "Could not connect to ZooKeeper at '"
                                + options.connectString()
                                + "' within "
                                + options.connectionTimeout().toMillis()
                                + " ms (connection timeout); check that"
                                + " the servers run and are reachable");
            }
        } catch (InterruptedException e) {
            closeFailed(curator, options);
            Thread.currentThread().interrupt();
            throw new ZkmqException(
                    "Interrupted while connecting to ZooKeeper at " + options.connectString(), e);
        }
        return new ZkmqClient(options, curator, errors);
    }

    /**
     * Closes a client that never got a session, waiting at most {@link #FAILED_CONNECT_CLOSE_WAIT}:
     * ZooKeeper's close waits for its close-session request, which, on a half-open connection (a
     * server that accepts but does not speak ZooKeeper), only ends after the session timeout.
     */
    private static void closeFailed(CuratorFramework curator, ZkmqClientOptions options) {
        Thread closer =
                new Thread(
                        curator::close, "zkmq-close-failed-connect-" + THREADS.incrementAndGet());
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(FAILED_CONNECT_CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.debug(
                    "The failed connection to {} is still closing in the background",
                    options.connectString());
        }
    }

    public ZkmqClientOptions options() {
        return options;
    }

    /** Exactly-once transactions: stage, commit, abort, list. */
    public TransactionStore transactions() {
        return transactions;
    }

    public QueueAdmin admin() {
        return admin;
    }

    /** A producer with default options. */
    public ZkmqProducer producer(String queue) {
        return producer(queue, ProducerOptions.defaults());
    }

    public ZkmqProducer producer(String queue, ProducerOptions producerOptions) {
        ZkmqProducer producer = new ZkmqProducer(this, Names.queue(queue), producerOptions);
        register(producer);
        return producer;
    }

    public ZkmqConsumer consumer(String queue, ConsumerOptions consumerOptions) {
        ZkmqConsumer consumer = new ZkmqConsumer(this, Names.queue(queue), consumerOptions);
        register(consumer);
        return consumer;
    }

    /**
     * The shared config watch of a queue, started on first use. Throws {@code
     * QueueNotFoundException} if the queue does not exist.
     */
    public QueueConfigWatcher configWatcher(String queue) {
        QueueConfigWatcher watcher = watchConfig(queue);
        if (watcher.current().isEmpty()) {
            // Re-read: the queue may have been created since the watcher saw it missing (its watch
            // event may still be on the way).
            refreshWatcher(watcher, queue);
            if (watcher.current().isEmpty()) {
                throw QueueAdmin.notFound(curator, queue);
            }
        }
        return watcher;
    }

    /**
     * The shared config watch of a queue that may not exist yet: its listeners hear when the queue
     * is created, changed or deleted.
     */
    public QueueConfigWatcher watchConfig(String queue) {
        return watchers.computeIfAbsent(
                queue,
                q -> {
                    QueueConfigWatcher w = new QueueConfigWatcher(curator, q);
                    w.addListener(
                            meta -> {
                                if (meta.isEmpty()) {
                                    // The queue was deleted: leave its election so the latch does
                                    // not re-create its znodes.
                                    MaintenanceLeader leader = maintenance.remove(q);
                                    if (leader != null) {
                                        closeQuietly(leader);
                                    }
                                }
                            });
                    try {
                        w.start();
                    } catch (Exception e) {
                        w.close();
                        throw ZkErrors.translate(e, "watching the config of queue '" + q + "'");
                    }
                    return w;
                });
    }

    /**
     * A watch on which queues exist, for readers that follow a name pattern: {@code listener} gets
     * the sorted names after every change. Not started: {@code start()} lists them and arms it; the
     * caller closes it.
     */
    public QueueListWatcher watchQueueList(Consumer<List<String>> listener) {
        return new QueueListWatcher(curator, listener);
    }

    /**
     * After this client created, changed or deleted a queue: its own config watch sees that at
     * once.
     */
    private void configWritten(String queue) {
        QueueConfigWatcher watcher = watchers.get(queue);
        if (watcher != null) {
            try {
                watcher.refreshNow();
            } catch (Exception e) {
                // The write itself succeeded; the watch delivers the change when it can.
                LOG.warn(
                        "Wrote the config of queue '{}' but could not re-read it: {}",
                        queue,
                        e.toString());
            }
        }
    }

    private static void refreshWatcher(QueueConfigWatcher watcher, String queue) {
        try {
            watcher.refreshNow();
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading the config of queue '" + queue + "'");
        }
    }

    /** The latest config of a queue as pushed by its watch (and as this client last wrote it). */
    public QueueMetadata currentConfig(String queue) {
        return configWatcher(queue)
                .current()
                .orElseThrow(() -> QueueAdmin.notFound(curator, queue));
    }

    /**
     * Joins the election of the queue's maintenance leader (retention, transaction clean-up), once
     * per client and queue. Producers and consumers do this unless their options say otherwise.
     */
    public void joinMaintenance(String queue, MaintenanceLeader.Settings settings) {
        maintenance.computeIfAbsent(
                queue,
                q -> {
                    MaintenanceEpoch epoch = new MaintenanceEpoch(curator, q);
                    MaintenanceLeader leader =
                            new MaintenanceLeader(
                                    curator, q, settings, epoch, maintenanceTasks(q, epoch));
                    leader.start();
                    return leader;
                });
    }

    /**
     * What the maintenance leader of a queue does, in order: trim segments, clean up transactions,
     * then keep the tier in step (delete what retention trimmed, offload segments past the hot
     * bounds).
     */
    private List<MaintenanceTask> maintenanceTasks(String queue, MaintenanceEpoch epoch) {
        RetentionTask retention = new RetentionTask(curator, queue);
        TransactionCleaner cleaner = new TransactionCleaner(curator, transactions, queue);
        TierOffloadTask tier =
                new TierOffloadTask(
                        curator, options.namespace(), queue, epoch, options.tierOrphanGrace());
        return List.of(
                new MaintenanceTask("retention", retention::runOnce),
                new MaintenanceTask("transaction clean-up", cleaner::runOnce),
                new MaintenanceTask("tier offload", tier::runOnce));
    }

    /** Whether this client currently is the maintenance leader of the queue. */
    public boolean isMaintenanceLeader(String queue) {
        MaintenanceLeader leader = maintenance.get(queue);
        return leader != null && leader.isLeader();
    }

    /** The Curator handle, already scoped to the namespace. For the connector's own modules. */
    public CuratorFramework curator() {
        return curator;
    }

    /** A small shared scheduler for timers (linger, retries, retention). Tasks must not block. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Throws the first failure Curator reported from the background of this client's session (a
     * callback or watcher that threw), if there was one. Connection outages are not such failures:
     * the client rides them out. Producers, consumers and the Flink reader and writer check it.
     */
    public void checkBackgroundErrors() {
        backgroundErrors.check();
    }

    /**
     * {@code listener} hears the first background failure (see {@link #checkBackgroundErrors}), at
     * once if it already happened; for owners that must react while blocked or with work pending.
     */
    public void addBackgroundErrorListener(Consumer<ZkmqException> listener) {
        backgroundErrors.addListener(listener);
    }

    public void removeBackgroundErrorListener(Consumer<ZkmqException> listener) {
        backgroundErrors.removeListener(listener);
    }

    /** The current ZooKeeper session id, 0 when not connected. */
    public long sessionId() {
        try {
            return curator.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    /** A background failure: a producer's pending send may never be answered, so fail them all. */
    private void failPendingSends(ZkmqException error) {
        List<AutoCloseable> open;
        synchronized (this) {
            open = new ArrayList<>(children);
        }
        for (AutoCloseable child : open) {
            if (child instanceof ZkmqProducer producer) {
                producer.failPending(error);
            }
        }
    }

    private synchronized void register(AutoCloseable child) {
        if (closed.get()) {
            throw new IllegalStateException("The client is closed");
        }
        children.add(child);
    }

    synchronized void unregister(AutoCloseable child) {
        children.remove(child);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<AutoCloseable> open;
        synchronized (this) {
            open = new ArrayList<>(children);
        }
        for (AutoCloseable c : open) {
            closeQuietly(c);
        }
        maintenance.values().forEach(ZkmqClient::closeQuietly);
        watchers.values().forEach(ZkmqClient::closeQuietly);
        scheduler.shutdownNow();
        drainCallbacks();
        curator.close();
    }

    /**
     * Waits (bounded) until ZooKeeper callbacks queued so far have run: closing Curator under a
     * pending background operation of a just-closed producer or consumer makes it log spurious
     * errors. Callbacks run in order on one thread, so once this probe's has run, the earlier have.
     */
    private void drainCallbacks() {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try {
            curator.checkExists().inBackground((c, event) -> done.countDown()).forPath("/");
            done.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Not connected: nothing to drain.
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("Error while closing {}", c, e);
        }
    }
}
