package io.zkmq.tier;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.Path;

/** A tier object found by listing a partition's directory (for orphan clean-up). */
@Internal
public record ListedTierObject(
        Path path, TierObjectName name, long length, long modificationTime) {}
