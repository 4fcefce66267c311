package io.zkmq.queue;

/** A queue's name with its configuration and the znode version that configuration was read at. */
public record QueueMetadata(String name, QueueConfig config, int version) {}
