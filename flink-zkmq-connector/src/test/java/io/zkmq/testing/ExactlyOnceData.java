package io.zkmq.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds staged transactions and reads partitions back, for the maintenance tests. */
public final class ExactlyOnceData {
    private ExactlyOnceData() {}

    /**
     * Stages {@code records} records named {@code <valuePrefix><i>} in several small batches (~4
     * records each).
     */
    public static TransactionMarker stage(
            TransactionStore store,
            String queue,
            int partition,
            String txn,
            String valuePrefix,
            int records) {
        return store.stage(
                queue,
                partition,
                TransactionId.parse(txn),
                UUID.randomUUID(),
                0,
                smallBatches(valuePrefix, records));
    }

    /**
     * Records {@code <valuePrefix><i>} (timestamps 1000 + i) sealed into small batches of about
     * four records each, so that a transaction spans several staged batches.
     */
    public static List<SealedBatch> smallBatches(String valuePrefix, int records) {
        List<SealedBatch> batches = new ArrayList<>();
        BatchBuilder builder = new BatchBuilder(128, 128);
        for (int i = 0; i < records; i++) {
            Record record =
                    new Record(
                            null,
                            (valuePrefix + i).getBytes(StandardCharsets.UTF_8),
                            List.of(),
                            1_000 + i);
            if (!builder.tryAppend(record)) {
                batches.add(builder.seal());
                builder = new BatchBuilder(128, 128);
                assertThat(builder.tryAppend(record)).isTrue();
            }
        }
        batches.add(builder.seal());
        return batches;
    }

    /**
     * Every record from {@code start} up to offset {@code endOffset} (exclusive), read by a
     * consumer outside any election.
     */
    public static List<QueueRecord> read(
            ZkmqClient client,
            String queue,
            int partition,
            StartingPosition start,
            long endOffset) {
        List<QueueRecord> out = new ArrayList<>();
        try (ZkmqConsumer consumer =
                client.consumer(queue, ConsumerOptions.builder().joinMaintenance(false).build())) {
            consumer.assign(Map.of(partition, start));
            Deadline.await(
                    "records up to offset " + endOffset + " of partition " + partition,
                    Duration.ofSeconds(20),
                    () -> {
                        out.addAll(consumer.poll(Duration.ofMillis(200)));
                        return consumer.positions().get(partition).offset() >= endOffset;
                    });
        }
        return out;
    }

    public static String value(QueueRecord record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
