package io.zkmq.client;

import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.error.TierUnavailableException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.tier.TierObjectStore;
import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.Path;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance leader's tier task for one queue: per partition, delete what retention trimmed
 * from the tier, delete orphaned uploads, offload the oldest complete segments past the hot bounds
 * into one object, then delete from ZooKeeper the segments that are in the tier (hot trim). Does
 * nothing for a queue without a tier. A tier that cannot be reached is logged naming queue,
 * partition and tier URI and retried at the next run; what is not registered in the tier stays in
 * ZooKeeper, so nothing is lost.
 */
@Internal
public final class TierOffloadTask {
    private static final Logger LOG = LoggerFactory.getLogger(TierOffloadTask.class);
    public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofMinutes(10);

    private final CuratorFramework curator;
    private final String queue;
    private final String namespace;
    private final TierOffloader offloader;
    private final TierJanitor janitor;
    private final HotTrimmer hotTrimmer;
    private final OffloadStep.Hook hook;

    public TierOffloadTask(
            CuratorFramework curator,
            String namespace,
            String queue,
            MaintenanceEpoch epoch,
            Duration orphanGrace) {
        this(curator, namespace, queue, epoch, orphanGrace, OffloadStep.Hook.NONE);
    }

    /**
     * With a hook called at each {@link OffloadStep}, for tests that crash or depose the leader.
     */
    TierOffloadTask(
            CuratorFramework curator,
            String namespace,
            String queue,
            MaintenanceEpoch epoch,
            Duration orphanGrace,
            OffloadStep.Hook hook) {
        this.curator = curator;
        this.queue = queue;
        this.namespace = namespace;
        this.hook = hook;
        this.offloader = new TierOffloader(curator, queue, epoch, hook);
        this.janitor = new TierJanitor(curator, queue, epoch, orphanGrace);
        this.hotTrimmer = new HotTrimmer(curator, queue, epoch, hook);
    }

    /** One run over every partition; returns the number of objects registered. */
    public int runOnce() throws Exception {
        String configPath = ZkmqPaths.queue(queue);
        QueueConfig config;
        try {
            config = QueueConfig.fromJson(curator.getData().forPath(configPath), configPath);
        } catch (KeeperException.NoNodeException e) {
            return 0;
        }
        Optional<String> tierUri = config.tierUri();
        if (tierUri.isEmpty()) {
            return 0;
        }
        TierObjectStore store;
        try {
            store = new TierObjectStore(new Path(tierUri.get()), namespace);
        } catch (LinkageError e) {
            // A process without flink-core must not lose its maintenance thread to an Error.
            throw new TierUnavailableException(
                    "Cannot offload queue '"
                            + queue
                            + "' to tier "
                            + tierUri.get()
                            + ": Flink's file system classes (flink-core) are not on this process's class path;"
                            + " add flink-core (the zkmq CLI and Flink jobs have it)",
                    e);
        }
        int registered = 0;
        for (int p = 0; p < config.partitions(); p++) {
            try {
                janitor.trimBelowLow(store, p);
                janitor.deleteOrphans(store, p);
                if (offloader.offload(config, store, p).isPresent()) {
                    registered++;
                    hook.reached(OffloadStep.AFTER_REGISTRATION, p);
                }
            } catch (TierUnavailableException e) {
                // Keep going with the other partitions; ZooKeeper still holds what is not in the
                // tier, the next run retries.
                LOG.warn(
                        "Tier storage {} of queue '{}' partition {} is unreachable; nothing was registered, retrying at the"
                                + " next maintenance run: {}",
                        tierUri.get(),
                        queue,
                        p,
                        e.getMessage());
            }
            // Also when the tier is down: what is registered may leave ZooKeeper (a new leader
            // finishes a crashed one's trim).
            hotTrimmer.trim(config, p);
        }
        return registered;
    }
}
