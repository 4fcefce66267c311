package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProduceConsumeTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @Test
    void everyAcknowledgedRecordIsReadExactlyOnceInOrderPerPartition() {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin()
                .createQueue(
                        "orders",
                        QueueConfig.builder()
                                .partitions(4)
                                .maxBatchBytes(16 * 1024)
                                .segmentBatches(10)
                                .build());
        int n = 20_000;
        List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
        try (ZkmqProducer producer = client.producer("orders")) {
            for (int i = 0; i < n; i++) {
                acks.add(producer.send(Record.of("key-" + (i % 97), "value-" + i)));
            }
            producer.flush();
        }
        Map<Integer, List<Long>> ackedOffsets = new HashMap<>();
        for (CompletableFuture<RecordMetadata> f : acks) {
            RecordMetadata m = f.join();
            ackedOffsets.computeIfAbsent(m.partition(), p -> new ArrayList<>()).add(m.offset());
        }
        QueueDescription d = client.admin().describeQueue("orders");
        assertThat(d.totalRecords()).isEqualTo(n);

        try (ZkmqConsumer consumer = client.consumer("orders", ConsumerOptions.builder().build())) {
            consumer.assignAll(StartingPosition.earliest());
            Map<Integer, List<QueueRecord>> read = new HashMap<>();
            int total = 0;
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (total < n && System.nanoTime() < end) {
                for (QueueRecord r : consumer.poll(Duration.ofMillis(500))) {
                    read.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
                    total++;
                }
            }
            assertThat(total).isEqualTo(n);
            assertThat(consumer.poll(Duration.ofMillis(200))).isEmpty();
            for (Map.Entry<Integer, List<QueueRecord>> e : read.entrySet()) {
                List<QueueRecord> records = e.getValue();
                for (int i = 0; i < records.size(); i++) {
                    assertThat(records.get(i).offset())
                            .isEqualTo(i); // dense, in order, no duplicates
                }
                assertThat(records)
                        .extracting(QueueRecord::offset)
                        .containsExactlyElementsOf(
                                ackedOffsets.get(e.getKey()).stream().sorted().toList());
            }
            // Same key, same partition, values in send order.
            Map<String, Integer> partitionOfKey = new HashMap<>();
            Map<String, Integer> lastValue = new HashMap<>();
            read.values()
                    .forEach(
                            list ->
                                    list.forEach(
                                            r -> {
                                                String key =
                                                        new String(r.key(), StandardCharsets.UTF_8);
                                                assertThat(
                                                                partitionOfKey.computeIfAbsent(
                                                                        key, k -> r.partition()))
                                                        .isEqualTo(r.partition());
                                                int v =
                                                        Integer.parseInt(
                                                                r.valueAsString().substring(6));
                                                assertThat(v)
                                                        .isGreaterThan(
                                                                lastValue.getOrDefault(key, -1));
                                                lastValue.put(key, v);
                                            }));
        }
    }

    @Test
    void openProducersAndConsumersAreRegisteredAsLiveMembersUntilClosed() throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("live", QueueConfig.builder().build());
        ZkmqProducer producer = client.producer("live");
        ZkmqConsumer consumer =
                client.consumer("live", ConsumerOptions.builder().memberId("reader-1").build());
        io.zkmq.testing.Deadline.await(
                "both members are registered",
                Duration.ofSeconds(10),
                () -> {
                    try {
                        return client.curator()
                                                .checkExists()
                                                .forPath(
                                                        io.zkmq.queue.ZkmqPaths.member(
                                                                "live",
                                                                "producer",
                                                                producer.producerId().toString()))
                                        != null
                                && client.curator()
                                                .checkExists()
                                                .forPath(
                                                        io.zkmq.queue.ZkmqPaths.member(
                                                                "live", "consumer", "reader-1"))
                                        != null;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
        producer.close();
        consumer.close();
        assertThat(
                        client.curator()
                                .getChildren()
                                .forPath(io.zkmq.queue.ZkmqPaths.members("live", "producer")))
                .isEmpty();
        assertThat(
                        client.curator()
                                .getChildren()
                                .forPath(io.zkmq.queue.ZkmqPaths.members("live", "consumer")))
                .isEmpty();
    }

    @Test
    void wakeUpEndsABlockedPollAtOnce() throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("quiet", QueueConfig.builder().build());
        try (ZkmqConsumer consumer = client.consumer("quiet", ConsumerOptions.builder().build())) {
            consumer.assignAll(StartingPosition.earliest());
            CompletableFuture<Long> elapsed = new CompletableFuture<>();
            Thread poller =
                    new Thread(
                            () -> {
                                long start = System.nanoTime();
                                consumer.poll(Duration.ofSeconds(30));
                                elapsed.complete((System.nanoTime() - start) / 1_000_000);
                            },
                            "poller");
            poller.start();
            // Blocked = parked inside poll, waiting for a batch that never comes.
            io.zkmq.testing.Deadline.await(
                    "the poll is blocked",
                    Duration.ofSeconds(5),
                    () -> poller.getState() == Thread.State.TIMED_WAITING);
            consumer.wakeUp();
            assertThat(elapsed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isLessThan(10_000L);
        }
    }

    @Test
    void aConsumerStartsAtAGivenOffsetInTheMiddleOfABatch() {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin()
                .createQueue(
                        "offsets",
                        QueueConfig.builder().maxBatchBytes(2048).segmentBatches(3).build());
        try (ZkmqProducer producer = client.producer("offsets")) {
            for (int i = 0; i < 1000; i++) {
                producer.send(Record.of(null, "r" + i));
            }
            producer.flush();
        }
        for (long start : new long[] {0, 1, 37, 500, 999, 1000}) {
            try (ZkmqConsumer consumer =
                    client.consumer("offsets", ConsumerOptions.builder().build())) {
                consumer.assign(Map.of(0, StartingPosition.offset(start)));
                List<QueueRecord> read = new ArrayList<>();
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (read.size() < 1000 - start && System.nanoTime() < end) {
                    read.addAll(consumer.poll(Duration.ofMillis(200)));
                }
                assertThat(read).hasSize((int) (1000 - start));
                if (start < 1000) {
                    assertThat(read.get(0).offset()).isEqualTo(start);
                    assertThat(read.get(0).valueAsString()).isEqualTo("r" + start);
                }
                consumer.seek(0, StartingPosition.offset(10));
                assertThat(consumer.poll(Duration.ofSeconds(5)).get(0).valueAsString())
                        .isEqualTo("r10");
            }
        }
    }
}
