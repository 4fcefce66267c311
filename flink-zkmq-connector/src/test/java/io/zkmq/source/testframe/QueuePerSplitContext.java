package io.zkmq.source.testframe;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.QueueConfig;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.Source;

/**
 * Every split is a queue of its own with one partition ({@code split-0}, {@code split-1}, ...). The
 * source reads them by pattern: an unbounded one also finds queues created while it runs, a bounded
 * one reads the queues that exist when the job starts (the suite writes before it submits).
 */
final class QueuePerSplitContext extends ZkmqSourceExternalContext {
    private static final String PREFIX = "split-";

    QueuePerSplitContext(Supplier<String> connectString) {
        super(connectString);
    }

    @Override
    protected QueueSplitDataWriter newSplit(ZkmqClient client, int index) {
        String queue = PREFIX + index;
        client.admin().createQueue(queue, QueueConfig.builder().partitions(1).build());
        return new QueueSplitDataWriter(client, queue, 0);
    }

    @Override
    protected Source<String, ?, ?> newSource(boolean bounded) {
        return sourceBuilder(bounded).setQueuePattern(PREFIX + "\\d+").build();
    }

    @Override
    public String toString() {
        return "queue per split";
    }
}
