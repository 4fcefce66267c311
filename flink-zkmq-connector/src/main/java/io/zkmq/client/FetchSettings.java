package io.zkmq.client;

import org.apache.curator.framework.CuratorFramework;

/**
 * What every {@link PartitionFetch} of one {@link Fetcher} shares: where and how far to read, and
 * the tier.
 */
record FetchSettings(
        CuratorFramework curator,
        String queue,
        int segmentBatches,
        int prefetch,
        FetchQueue ready,
        TierAccess tier) {}
