package io.zkmq.source.testframe;

import io.zkmq.client.ProducerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.Record;
import io.zkmq.testing.Deadline;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;

/**
 * Writes the records of one split, i.e. one partition of one queue, with the plain client: each
 * value goes to that partition explicitly, so the order within the split is the order written.
 * {@link #writeRecords} returns once ZooKeeper acknowledged every record.
 */
final class QueueSplitDataWriter implements ExternalSystemSplitDataWriter<String> {
    private static final ProducerOptions OPTIONS =
            ProducerOptions.builder()
                    .linger(Duration.ofMillis(1))
                    .joinMaintenance(
                            false) // no retention in these short tests: keep the znodes and threads
                    // down
                    .build();

    private final String queue;
    private final int partition;
    private final ZkmqProducer producer;

    QueueSplitDataWriter(ZkmqClient client, String queue, int partition) {
        this.queue = queue;
        this.partition = partition;
        this.producer = client.producer(queue, OPTIONS);
        // A partition added just now reaches the producer through the queue's config watch.
        Deadline.await(
                "the producer of queue '" + queue + "' to see partition " + partition,
                Duration.ofSeconds(30),
                () -> producer.partitions() > partition);
    }

    @Override
    public void writeRecords(List<String> records) {
        for (String value : records) {
            producer.send(
                    partition,
                    new Record(
                            null,
                            value.getBytes(StandardCharsets.UTF_8),
                            List.of(),
                            System.currentTimeMillis()));
        }
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

    @Override
    public String toString() {
        return "queue '" + queue + "' partition " + partition;
    }
}
