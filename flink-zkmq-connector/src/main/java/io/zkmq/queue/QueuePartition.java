package io.zkmq.queue;

import java.io.Serializable;
import java.util.Comparator;
import org.apache.flink.annotation.PublicEvolving;

/** One partition of one queue: what a split reads. Ordered by queue name, then partition. */
@PublicEvolving
public record QueuePartition(String queue, int partition)
        implements Serializable, Comparable<QueuePartition> {
    private static final Comparator<QueuePartition> ORDER =
            Comparator.comparing(QueuePartition::queue).thenComparingInt(QueuePartition::partition);

    public QueuePartition {
        if (queue == null || queue.isEmpty()) {
            throw new IllegalArgumentException("Queue name must not be empty");
        }
        if (partition < 0) {
            throw new IllegalArgumentException(
                    "Partition of queue '" + queue + "' must be >= 0, got " + partition);
        }
    }

    /**
     * The split id {@code <queue>-<partition>}; unique, as the partition is the part after the last
     * '-'.
     */
    public String splitId() {
        return queue + "-" + partition;
    }

    @Override
    public int compareTo(QueuePartition o) {
        return ORDER.compare(this, o);
    }

    /** The standard phrase for messages and logs: {@code queue 'q' partition 3}. */
    public String describe() {
        return "queue '" + queue + "' partition " + partition;
    }

    @Override
    public String toString() {
        return describe();
    }
}
