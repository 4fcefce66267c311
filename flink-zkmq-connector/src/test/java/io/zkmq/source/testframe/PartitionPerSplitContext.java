package io.zkmq.source.testframe;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.QueueConfig;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.Source;

/**
 * Every split is one partition of a single queue: the first split creates the queue with one
 * partition, each further split adds a partition ({@code addPartitions}) and writes to it. The
 * source names that one queue; an unbounded source picks up partitions added while it runs.
 */
final class PartitionPerSplitContext extends ZkmqSourceExternalContext {
    private static final String QUEUE = "splits";

    PartitionPerSplitContext(Supplier<String> connectString) {
        super(connectString);
    }

    @Override
    protected QueueSplitDataWriter newSplit(ZkmqClient client, int index) {
        if (index == 0) {
            client.admin().createQueue(QUEUE, QueueConfig.builder().partitions(1).build());
        } else {
            client.admin().addPartitions(QUEUE, index + 1);
        }
        return new QueueSplitDataWriter(client, QUEUE, index);
    }

    @Override
    protected Source<String, ?, ?> newSource(boolean bounded) {
        return sourceBuilder(bounded).setQueues(QUEUE).build();
    }

    @Override
    public String toString() {
        return "partition per split";
    }
}
