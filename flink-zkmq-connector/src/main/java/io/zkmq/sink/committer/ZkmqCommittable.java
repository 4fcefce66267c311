package io.zkmq.sink.committer;

import io.zkmq.queue.QueuePartition;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * One staged transaction of one partition, handed from a writer to the committer through the
 * checkpoint: everything needed to make it visible (or to recognise it as already visible).
 */
@Internal
public record ZkmqCommittable(
        String queue, int partition, String transaction, String attempt, int records, long bytes) {
    public ZkmqCommittable {
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(attempt, "attempt");
    }

    @Override
    public String toString() {
        return "transaction "
                + transaction
                + " (attempt "
                + attempt
                + ") of "
                + new QueuePartition(queue, partition).describe()
                + ", "
                + records
                + " records";
    }
}
