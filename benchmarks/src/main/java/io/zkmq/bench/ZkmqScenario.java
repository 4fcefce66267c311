package io.zkmq.bench;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ProducerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * ZKMQ through its own client: produce records of {@code --record-size} bytes (null keys, so
 * round-robin over partitions) for the phase duration and wait for every acknowledgement, then
 * consume all of them from the earliest offset. Run with 1 and with 4 partitions. Each run uses its
 * own namespace and deletes it afterwards so ZooKeeper's heap does not carry over.
 *
 * <p>{@code zkmq_produce_MBps} counts stored batch bytes (records plus batch headers), the figure
 * comparable to {@code raw_zk_create_MBps} at the same znode size.
 */
final class ZkmqScenario implements Scenario {
    @Override
    public String name() {
        return "zkmq";
    }

    @Override
    public List<Result> run(ScenarioContext context) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int partitions : new int[] {1, 4}) {
            String suffix = partitions == 4 ? "" : "_1p";
            String namespace = "zkmq-bench-" + UUID.randomUUID().toString().substring(0, 8);
            ZkmqClientOptions options =
                    ZkmqClientOptions.builder(context.connectString()).namespace(namespace).build();
            try (ZkmqClient client = ZkmqClient.connect(options)) {
                int batchBytes = Math.min(context.batchBytes(), QueueConfig.MAX_BATCH_BYTES_LIMIT);
                client.admin()
                        .createQueue(
                                "bench",
                                QueueConfig.builder()
                                        .partitions(partitions)
                                        .maxBatchBytes(batchBytes)
                                        .retentionBytes(1L << 40)
                                        .build());
                byte[] value = new byte[context.recordSize()];
                long records = 0;
                long start = System.nanoTime();
                long end = start + context.duration().toNanos();
                long bytes;
                try (ZkmqProducer producer =
                        client.producer(
                                "bench",
                                ProducerOptions.builder()
                                        .bufferBytes(128L * 1024 * 1024)
                                        .joinMaintenance(false)
                                        .build())) {
                    while (System.nanoTime() < end) {
                        for (int i = 0; i < 1000; i++) {
                            producer.send(
                                    new Record(null, value, List.of(), System.currentTimeMillis()));
                        }
                        records += 1000;
                    }
                    producer.flush();
                    bytes = producer.bytesSent();
                }
                double produceSeconds = (System.nanoTime() - start) / 1e9;
                results.add(
                        new Result(
                                "zkmq_produce" + suffix + "_records_per_s",
                                records / produceSeconds,
                                "records/s"));
                results.add(
                        new Result(
                                "zkmq_produce" + suffix + "_MBps",
                                bytes / produceSeconds / 1e6,
                                "MB/s"));

                long read = 0;
                start = System.nanoTime();
                try (ZkmqConsumer consumer =
                        client.consumer(
                                "bench",
                                ConsumerOptions.builder()
                                        .prefetchBatches(8)
                                        .maxPollRecords(100_000)
                                        .joinMaintenance(false)
                                        .build())) {
                    consumer.assignAll(StartingPosition.earliest());
                    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                    while (read < records) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException(
                                    "Consumed only "
                                            + read
                                            + " of "
                                            + records
                                            + " records in 2 minutes");
                        }
                        read += consumer.poll(Duration.ofSeconds(1)).size();
                    }
                }
                double consumeSeconds = (System.nanoTime() - start) / 1e9;
                results.add(
                        new Result(
                                "zkmq_consume" + suffix + "_records_per_s",
                                read / consumeSeconds,
                                "records/s"));
                results.add(
                        new Result(
                                "zkmq_consume" + suffix + "_MBps",
                                bytes / consumeSeconds / 1e6,
                                "MB/s"));
                client.curator().delete().deletingChildrenIfNeeded().forPath("/");
            }
        }
        return results;
    }
}
