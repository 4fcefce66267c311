package io.zkmq.coordination;

import io.zkmq.queue.ZkmqPaths;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.flink.annotation.Internal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elects one maintenance leader per queue among its live clients (Curator {@link LeaderLatch}) and,
 * while leading, runs the tasks it was given (the client gives {@link RetentionTask} and its
 * transaction clean-up), in order, at a fixed interval on a thread of its own (so slow deletes
 * never delay producer timers). If the leader dies, its latch node vanishes with its session and
 * another client takes over.
 */
@Internal
public final class MaintenanceLeader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceLeader.class);

    private final String queue;
    private final LeaderLatch latch;
    private final List<MaintenanceTask> tasks;
    private final Settings settings;
    private final ScheduledExecutorService executor;
    private final MaintenanceEpoch epoch;

    /**
     * Counts leadership terms; the epoch is bumped once per term, on the task thread, before the
     * tasks.
     */
    private final AtomicLong terms = new AtomicLong();

    private long bumpedTerm;

    /**
     * @param tasks run in this order at every interval while this client leads
     */
    public MaintenanceLeader(
            CuratorFramework curator,
            String queue,
            Settings settings,
            List<MaintenanceTask> tasks) {
        this(curator, queue, settings, new MaintenanceEpoch(curator, queue), tasks);
    }

    /**
     * @param epoch bumped each time this client takes the lead; tasks that register what a deposed
     *     leader must not (tier objects) check it in their transactions
     */
    public MaintenanceLeader(
            CuratorFramework curator,
            String queue,
            Settings settings,
            MaintenanceEpoch epoch,
            List<MaintenanceTask> tasks) {
        this.queue = queue;
        this.epoch = epoch;
        this.settings = settings;
        this.latch = new LeaderLatch(curator, ZkmqPaths.maintenance(queue));
        this.latch.addListener(
                new LeaderLatchListener() {
                    @Override
                    public void isLeader() {
                        terms.incrementAndGet();
                    }

                    @Override
                    public void notLeader() {
                        epoch.release();
                    }
                });
        this.tasks = List.copyOf(tasks);
        this.executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "zkmq-maintenance-" + queue);
                            t.setDaemon(true);
                            return t;
                        });
    }

    public void start() {
        try {
            latch.start();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot join the maintenance election of queue '" + queue + "'", e);
        }
        long interval = settings.interval().toMillis();
        executor.scheduleWithFixedDelay(
                this::runIfLeader, interval, interval, TimeUnit.MILLISECONDS);
    }

    public boolean isLeader() {
        return latch.hasLeadership();
    }

    private void runIfLeader() {
        if (!latch.hasLeadership()) {
            return;
        }
        long term = terms.get();
        if (term != bumpedTerm) {
            try {
                epoch.bump();
                bumpedTerm = term;
            } catch (Exception e) {
                LOG.warn(
                        "Maintenance leader of queue '{}' could not take a new epoch at {}; tasks that need it are fenced"
                                + " until the next interval",
                        queue,
                        epoch.path(),
                        e);
            }
        }
        for (MaintenanceTask task : tasks) {
            try {
                task.run().call();
            } catch (Exception e) {
                // Retried at the next interval (tasks are idempotent); the other tasks still run.
                LOG.warn(
                        "Maintenance task '{}' of queue '{}' failed; retrying in {}",
                        task.name(),
                        queue,
                        settings.interval(),
                        e);
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        epoch.release(); // the latch closes silently: its notLeader listener is not called
        try {
            latch.close();
        } catch (IOException | IllegalStateException e) {
            LOG.debug("Closing the maintenance latch of '{}'", queue, e);
        }
    }

    /** How often the leader runs its tasks. */
    public record Settings(Duration interval) {
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

        public Settings {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException(
                        "maintenance interval must be positive, got " + interval);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_INTERVAL);
        }
    }
}
