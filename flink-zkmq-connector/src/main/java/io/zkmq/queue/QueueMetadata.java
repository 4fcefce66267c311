package io.zkmq.queue;

import org.apache.flink.annotation.PublicEvolving;

/** A queue's name with its configuration and the znode version that configuration was read at. */
@PublicEvolving
public record QueueMetadata(String name, QueueConfig config, int version) {}
