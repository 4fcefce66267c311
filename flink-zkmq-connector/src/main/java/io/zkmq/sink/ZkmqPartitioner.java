package io.zkmq.sink;

import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Chooses the partition of a record, replacing the sink's key hashing. Must return
 * 0..numPartitions-1.
 */
@PublicEvolving
@FunctionalInterface
public interface ZkmqPartitioner<T> extends Serializable {
    /** Called once per writer before the first record. */
    default void open(int subtask, int parallelism) {}

    int partition(T element, byte[] key, byte[] value, String queue, int numPartitions);
}
