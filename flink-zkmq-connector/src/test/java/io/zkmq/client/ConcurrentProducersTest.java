package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConcurrentProducersTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @Test
    void producersOnSeparateSessionsShareOnePartitionWithoutLossOrOverlap() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZK.client(ns)
                .admin()
                .createQueue(
                        "shared", QueueConfig.builder().partitions(1).segmentBatches(20).build());
        int producers = 4;
        int perProducer = 3_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<Future<List<RecordMetadata>>> results = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            results.add(
                    pool.submit(
                            () -> {
                                ZkmqClient client = ZK.client(ns);
                                List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
                                // Small batches so the writers race for batch numbers often.
                                try (ZkmqProducer producer =
                                        client.producer(
                                                "shared",
                                                ProducerOptions.builder()
                                                        .batchBytes(2048)
                                                        .linger(Duration.ZERO)
                                                        .build())) {
                                    for (int i = 0; i < perProducer; i++) {
                                        acks.add(
                                                producer.send(
                                                        0, Record.of("p" + id, id + ":" + i)));
                                    }
                                    producer.flush();
                                }
                                return acks.stream().map(CompletableFuture::join).toList();
                            }));
        }
        Set<Long> offsets = new HashSet<>();
        for (Future<List<RecordMetadata>> f : results) {
            f.get()
                    .forEach(
                            m ->
                                    assertThat(offsets.add(m.offset()))
                                            .as("offset %d acknowledged twice", m.offset())
                                            .isTrue());
        }
        pool.shutdown();
        assertThat(offsets).hasSize(producers * perProducer);
        assertThat(offsets.stream().mapToLong(Long::longValue).max().getAsLong())
                .isEqualTo(producers * perProducer - 1L);

        ZkmqClient reader = ZK.client(ns);
        try (ZkmqConsumer consumer = reader.consumer("shared", ConsumerOptions.builder().build())) {
            consumer.assignAll(StartingPosition.earliest());
            List<QueueRecord> all = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (all.size() < producers * perProducer && System.nanoTime() < end) {
                all.addAll(consumer.poll(Duration.ofMillis(500)));
            }
            assertThat(all).hasSize(producers * perProducer);
            int[] next = new int[producers];
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).offset()).isEqualTo(i);
                String[] parts = all.get(i).valueAsString().split(":");
                int id = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1]))
                        .as("per-producer order")
                        .isEqualTo(next[id]++);
            }
        }
    }
}
