package io.zkmq.coordination;

import io.zkmq.client.TransactionStore;
import io.zkmq.queue.ZkmqPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Elects one maintenance leader per queue among its live clients (Curator {@link LeaderLatch})
 * and, while leading, runs {@link RetentionTask} and then {@link TransactionCleaner} at a fixed
 * interval on a thread of its own (so slow deletes never delay producer timers). If the leader
 * dies, its latch node vanishes with its session and another client takes over.
 */
public final class MaintenanceLeader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceLeader.class);

    private final String queue;
    private final LeaderLatch latch;
    private final RetentionTask retention;
    private final TransactionCleaner cleaner;
    private final Settings settings;
    private final ScheduledExecutorService executor;

    public MaintenanceLeader(CuratorFramework curator, TransactionStore transactions, String queue, Settings settings) {
        this.queue = queue;
        this.settings = settings;
        this.latch = new LeaderLatch(curator, ZkmqPaths.maintenance(queue));
        this.retention = new RetentionTask(curator, queue);
        this.cleaner = new TransactionCleaner(curator, transactions, queue);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zkmq-maintenance-" + queue);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        try {
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot join the maintenance election of queue '" + queue + "'", e);
        }
        long interval = settings.interval().toMillis();
        executor.scheduleWithFixedDelay(this::runIfLeader, interval, interval, TimeUnit.MILLISECONDS);
    }

    public boolean isLeader() {
        return latch.hasLeadership();
    }

    private void runIfLeader() {
        if (!latch.hasLeadership()) {
            return;
        }
        try {
            retention.runOnce();
        } catch (Exception e) {
            // Retried at the next interval; trimming is idempotent.
            LOG.warn("Retention of queue '{}' failed; retrying in {}", queue, settings.interval(), e);
        }
        try {
            cleaner.runOnce();
        } catch (Exception e) {
            // Retried at the next interval; every step is idempotent.
            LOG.warn("Transaction clean-up of queue '{}' failed; retrying in {}", queue, settings.interval(), e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            latch.close();
        } catch (IOException | IllegalStateException e) {
            LOG.debug("Closing the maintenance latch of '{}'", queue, e);
        }
    }

    /** How often the leader runs retention and transaction clean-up. */
    public record Settings(Duration interval) {
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

        public Settings {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("maintenance interval must be positive, got " + interval);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_INTERVAL);
        }
    }
}
