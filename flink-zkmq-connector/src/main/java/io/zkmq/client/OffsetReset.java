package io.zkmq.client;

import java.util.OptionalLong;
import org.apache.flink.annotation.PublicEvolving;

/**
 * One partition of a group offset reset: the committed offset before (empty if the group had none)
 * and the offset the group resumes from after it.
 */
@PublicEvolving
public record OffsetReset(int partition, OptionalLong oldOffset, long newOffset) {}
