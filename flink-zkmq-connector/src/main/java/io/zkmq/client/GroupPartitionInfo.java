package io.zkmq.client;

import java.util.Optional;
import java.util.OptionalLong;
import org.apache.flink.annotation.PublicEvolving;

/**
 * One partition as seen by a consumer group: committed offset (if any), head offset, lag (head
 * minus committed, or head minus low when nothing is committed) and the current owner (if held).
 */
@PublicEvolving
public record GroupPartitionInfo(
        int partition,
        OptionalLong committedOffset,
        long headOffset,
        long lag,
        Optional<String> owner) {}
