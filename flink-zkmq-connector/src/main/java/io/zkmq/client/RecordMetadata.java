package io.zkmq.client;

import org.apache.flink.annotation.PublicEvolving;

/** Where an acknowledged record was stored. */
@PublicEvolving
public record RecordMetadata(String queue, int partition, long offset, long timestamp) {}
