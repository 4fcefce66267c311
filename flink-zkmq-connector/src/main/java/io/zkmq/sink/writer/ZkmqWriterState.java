package io.zkmq.sink.writer;

import org.apache.flink.annotation.Internal;

/**
 * A writer's checkpointed state: the transactional id prefix it used, so that a job restored with a
 * different prefix still aborts the transactions the old one left open.
 */
@Internal
public record ZkmqWriterState(String transactionalIdPrefix) {}
