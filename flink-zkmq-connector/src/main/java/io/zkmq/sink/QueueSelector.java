package io.zkmq.sink;

import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;

/** Chooses the queue of each element, for sinks that write to more than one queue. */
@PublicEvolving
@FunctionalInterface
public interface QueueSelector<T> extends Serializable {
    String queue(T element);
}
