package io.zkmq.source;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Helpers shared by the source tests: create and fill queues with the plain client. */
final class SourceTesting {
    private SourceTesting() {}

    static void createQueue(ZkmqClient client, String queue, int partitions) {
        client.admin().createQueue(queue, QueueConfig.builder().partitions(partitions).build());
    }

    /**
     * Writes {@code perPartition} records "prefix-p-i" to every partition and returns the values.
     */
    static List<String> produceToEachPartition(
            ZkmqClient client, String queue, String prefix, int partitions, int perPartition)
            throws Exception {
        List<String> values = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<?>> acks = new ArrayList<>();
        try (ZkmqProducer producer = client.producer(queue)) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    String value = prefix + "-" + p + "-" + i;
                    values.add(value);
                    acks.add(
                            producer.send(
                                    p,
                                    new Record(
                                            null,
                                            value.getBytes(StandardCharsets.UTF_8),
                                            List.of(),
                                            i)));
                }
            }
            java.util.concurrent.CompletableFuture.allOf(
                            acks.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get();
        }
        return values;
    }

    /** Writes {@code count} records "prefix-i" with key "k-(i % keys)" and returns the values. */
    static List<String> produce(
            ZkmqClient client, String queue, String prefix, int count, int keys) {
        List<String> values = new ArrayList<>(count);
        try (ZkmqProducer producer = client.producer(queue)) {
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i;
                values.add(value);
                producer.send(
                        new Record(
                                ("k-" + (i % keys)).getBytes(StandardCharsets.UTF_8),
                                value.getBytes(StandardCharsets.UTF_8),
                                List.of(),
                                1_000_000L + i));
            }
            producer.flush();
        }
        return values;
    }
}
