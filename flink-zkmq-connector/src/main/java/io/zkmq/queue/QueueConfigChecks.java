package io.zkmq.queue;

import io.zkmq.error.InvalidConfigException;

/** The rules of a {@link QueueConfig} that relate several fields: tier, hot bound and quota. */
final class QueueConfigChecks {
    private QueueConfigChecks() {}

    static void check(QueueConfig c) {
        int partitions = c.partitions();
        long segment = c.maxSegmentBytes();
        long hot = c.hotRetentionBytes();
        long quota = c.quotaBytes().orElse(0);
        boolean tiered = c.tierUri().isPresent();
        if (tiered && hot <= 0) {
            // A bound below one segment is fine: offload then moves each segment once it is
            // complete, and the hot tail is the open segment plus what arrives between two
            // maintenance runs.
            throw new InvalidConfigException(
                    "hotRetentionBytes must be set (bytes per partition kept in ZooKeeper)"
                            + " when tierUri is set");
        }
        if (!tiered && (hot > 0 || c.hotRetentionTime().isPresent())) {
            throw new InvalidConfigException(
                    "hotRetentionBytes and hotRetentionTime need a tierUri: without a tier"
                            + " nothing is offloaded");
        }
        if (tiered && quota > 0 && quota < partitions * (hot + 2 * segment)) {
            throw new InvalidConfigException(
                    "quotaBytes "
                            + quota
                            + " is too small for the hot tail of tier "
                            + c.tierUri().get()
                            + ": ZooKeeper holds up to hotRetentionBytes ("
                            + hot
                            + ") plus two segments of up to "
                            + segment
                            + " bytes (segmentBatches x maxBatchBytes) per partition, so "
                            + partitions
                            + " partition(s) need a quota of at least "
                            + partitions * (hot + 2 * segment)
                            + " bytes; raise the quota or lower hotRetentionBytes");
        }
        if (!tiered && quota > 0 && QueueConfig.quotaShare(quota, partitions) < 2 * segment) {
            // Retention trims whole segments: below two per partition it could not keep the
            // queue under its quota.
            double fraction = QueueConfig.QUOTA_RETENTION_FRACTION;
            throw new InvalidConfigException(
                    "quotaBytes "
                            + quota
                            + " is too small for "
                            + partitions
                            + " partitions with segments of up to "
                            + segment
                            + " bytes (segmentBatches x maxBatchBytes):"
                            + " retention keeps "
                            + (int) (fraction * 100)
                            + "% of the quota and needs at"
                            + " least two segments per partition, so the quota must be at least "
                            + (long) Math.ceil(2.0 * segment * partitions / fraction)
                            + " bytes");
        }
    }
}
