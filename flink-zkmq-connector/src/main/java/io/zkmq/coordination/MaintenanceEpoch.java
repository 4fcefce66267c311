package io.zkmq.coordination;

import io.zkmq.error.FencedException;
import io.zkmq.queue.ZkmqPaths;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The maintenance leader's fencing token for a queue: the version of {@link
 * ZkmqPaths#maintenanceEpoch} after this leader bumped it on taking the lead. A leader that is
 * deposed (its session expired, its latch gone) keeps its old version while the new leader's bump
 * raised the znode's, so every registration transaction that includes {@link #check()} fails for
 * the deposed one with {@code BadVersion}. Thread-safe.
 */
@Internal
public final class MaintenanceEpoch {
    private final CuratorFramework curator;
    private final String queue;
    private final String path;

    /** -1: not leading (never bumped, or leadership lost since). */
    private volatile int version = -1;

    public MaintenanceEpoch(CuratorFramework curator, String queue) {
        this.curator = curator;
        this.queue = queue;
        this.path = ZkmqPaths.maintenanceEpoch(queue);
    }

    /**
     * Takes a new epoch: called when this client becomes the maintenance leader, before any task
     * runs.
     */
    public int bump() throws Exception {
        Stat stat;
        try {
            stat = curator.setData().forPath(path, new byte[0]);
        } catch (KeeperException.NoNodeException e) {
            try {
                curator.create().forPath(path, new byte[0]);
            } catch (KeeperException.NodeExistsException raced) {
                // another leader created it first; the bump below still raises its version past
                // theirs
            }
            stat = curator.setData().forPath(path, new byte[0]);
        }
        version = stat.getVersion();
        return version;
    }

    /** Forgets the epoch when leadership is lost, so nothing registers until the next bump. */
    public void release() {
        version = -1;
    }

    /** The version this leader holds. */
    public int version() {
        int v = version;
        if (v < 0) {
            throw new FencedException(
                    "The maintenance leader of queue '"
                            + queue
                            + "' holds no epoch ("
                            + path
                            + "): it is not leading, so it may not register tier objects");
        }
        return v;
    }

    /** A transaction operation that fails unless this leader's epoch is still the latest. */
    public CuratorOp check() throws Exception {
        return curator.transactionOp().check().withVersion(version()).forPath(path);
    }

    public String path() {
        return path;
    }
}
