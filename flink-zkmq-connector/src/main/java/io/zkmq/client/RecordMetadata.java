package io.zkmq.client;

/** Where an acknowledged record was stored. */
public record RecordMetadata(String queue, int partition, long offset, long timestamp) {}
