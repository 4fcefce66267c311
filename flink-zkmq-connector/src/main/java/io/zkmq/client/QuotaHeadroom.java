package io.zkmq.client;

import io.zkmq.queue.QueueConfig;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the maintenance leader register a tier object when the hot tail of a tiered queue filled its
 * quota while offload was behind: the index entry and {@code tierHigh} lie under the quota too, and
 * only registering frees ZooKeeper (hot trim deletes what is registered). ZooKeeper checks a quota
 * against committed state, so a delete in the same transaction cannot make room: the limit is
 * lifted by a little for the registration and set back right after. A producer may take that room
 * first; then the registration fails like any other and the next run tries again.
 */
final class QuotaHeadroom {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaHeadroom.class);

    /** Room for a registration (an entry of a few hundred bytes) with a wide margin. */
    static final long HEADROOM_BYTES = 64 * 1024;

    private final QueueQuotas quotas;
    private final String queue;

    QuotaHeadroom(CuratorFramework curator, String queue) {
        // The quota znodes exist already, so the ACL choice for new ones does not matter here.
        this.quotas = new QueueQuotas(curator, false);
        this.queue = queue;
    }

    /** Runs {@code write}; if the quota refuses it, once more with the limit lifted. */
    <T> T run(QueueConfig config, Callable<T> write) throws Exception {
        try {
            return write.call();
        } catch (KeeperException.QuotaExceededException e) {
            OptionalLong limit = config.effectiveQuotaBytes();
            if (limit.isEmpty()) {
                throw e;
            }
            LOG.info(
                    "Queue '{}' is at its quota of {} bytes (the hot tail grew while offload was behind):"
                            + " lifting it by {} bytes to register a tier object, then setting it back",
                    queue,
                    limit.getAsLong(),
                    HEADROOM_BYTES);
            quotas.apply(queue, OptionalLong.of(limit.getAsLong() + HEADROOM_BYTES));
            try {
                return write.call();
            } finally {
                quotas.apply(queue, limit);
            }
        }
    }
}
