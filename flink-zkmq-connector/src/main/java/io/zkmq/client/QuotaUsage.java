package io.zkmq.client;

import org.apache.flink.annotation.PublicEvolving;

/**
 * ZooKeeper's view of a queue's byte quota: the hard limit it enforces and the bytes of znode data
 * it counts under the queue's partitions (what the quota is measured against).
 */
@PublicEvolving
public record QuotaUsage(long limitBytes, long usedBytes) {
    /**
     * More is stored than the limit allows: the servers do not enforce quotas, or the limit was
     * just lowered.
     */
    public boolean overLimit() {
        return usedBytes > limitBytes;
    }
}
