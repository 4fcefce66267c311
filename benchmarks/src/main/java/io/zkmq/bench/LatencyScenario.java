package io.zkmq.bench;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ProducerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end latency, from {@code send} to the record coming out of {@code poll} of a consumer on
 * another client (another ZooKeeper session), at fixed rates of 1,000 and 10,000 records/s over
 * {@value #PARTITIONS} partitions, with linger 0 and with the producer's default linger. Each
 * record carries its send time ({@link System#nanoTime()}, one JVM) in its first 8 value bytes. The
 * first fifth of each phase is warm-up and not counted.
 */
final class LatencyScenario implements Scenario {
    static final int PARTITIONS = 4;

    private static final String QUEUE = "latency";
    private static final int[] RATES = {1_000, 10_000};

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public List<Result> run(ScenarioContext context) throws Exception {
        List<Result> results = new ArrayList<>();
        for (boolean lingerZero : new boolean[] {true, false}) {
            for (int rate : RATES) {
                String prefix = lingerZero ? "zkmq_latency" : "zkmq_latency_default_linger";
                String suffix = "_ms_" + rate / 1000 + "k";
                Latencies latencies = measure(context, rate, lingerZero);
                results.add(new Result(prefix + "_p50" + suffix, latencies.percentile(50), "ms"));
                results.add(new Result(prefix + "_p99" + suffix, latencies.percentile(99), "ms"));
            }
        }
        return results;
    }

    private static Latencies measure(ScenarioContext context, int rate, boolean lingerZero)
            throws Exception {
        String namespace = "zkmq-bench-latency-" + UUID.randomUUID().toString().substring(0, 8);
        ZkmqClientOptions options =
                ZkmqClientOptions.builder(context.connectString()).namespace(namespace).build();
        long records = Math.max(1, context.duration().toNanos() * rate / 1_000_000_000L);
        long warmUp = records / 5;
        Latencies latencies = new Latencies((int) (records - warmUp));
        try (ZkmqClient producerClient = ZkmqClient.connect(options);
                ZkmqClient consumerClient = ZkmqClient.connect(options)) {
            try {
                producerClient
                        .admin()
                        .createQueue(
                                QUEUE,
                                QueueConfig.builder()
                                        .partitions(PARTITIONS)
                                        .retentionBytes(1L << 40)
                                        .build());
                try (ZkmqConsumer consumer =
                        consumerClient.consumer(
                                QUEUE, ConsumerOptions.builder().joinMaintenance(false).build())) {
                    consumer.assignAll(StartingPosition.latest());
                    AtomicBoolean producing = new AtomicBoolean(true);
                    CompletableFuture<Void> sent =
                            CompletableFuture.runAsync(
                                    () -> {
                                        try {
                                            produce(
                                                    producerClient,
                                                    context.recordSize(),
                                                    rate,
                                                    records,
                                                    lingerZero);
                                        } finally {
                                            producing.set(false);
                                        }
                                    });
                    long received = 0;
                    long deadline =
                            System.nanoTime()
                                    + context.duration().toNanos()
                                    + Duration.ofMinutes(1).toNanos();
                    while (received < records) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException(
                                    "Received " + received + " of " + records + " records");
                        }
                        if (sent.isCompletedExceptionally()) {
                            sent.join(); // throws the producer's failure
                        }
                        List<QueueRecord> batch = consumer.poll(Duration.ofMillis(100));
                        long now = System.nanoTime();
                        for (QueueRecord record : batch) {
                            if (received++ >= warmUp) {
                                long sentAt = ByteBuffer.wrap(record.value()).getLong();
                                latencies.add(now - sentAt);
                            }
                        }
                    }
                    sent.get(1, TimeUnit.MINUTES);
                }
            } finally {
                producerClient.curator().delete().deletingChildrenIfNeeded().forPath("/");
            }
        }
        return latencies;
    }

    private static void produce(
            ZkmqClient client, int recordSize, int rate, long records, boolean lingerZero) {
        ProducerOptions.Builder options = ProducerOptions.builder().joinMaintenance(false);
        if (lingerZero) {
            options.linger(Duration.ZERO);
        }
        long interval = 1_000_000_000L / rate;
        try (ZkmqProducer producer = client.producer(QUEUE, options.build())) {
            long start = System.nanoTime();
            for (long i = 0; i < records; i++) {
                long due = start + i * interval;
                for (long wait = due - System.nanoTime();
                        wait > 0;
                        wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                byte[] value = new byte[Math.max(Long.BYTES, recordSize)];
                ByteBuffer.wrap(value).putLong(System.nanoTime());
                producer.send(new Record(null, value, List.of(), System.currentTimeMillis()));
            }
            producer.flush(); // throws if any record failed
        }
    }

    /** Latencies in nanoseconds; percentiles in milliseconds. */
    static final class Latencies {
        private final long[] values;
        private int size;

        Latencies(int capacity) {
            values = new long[Math.max(1, capacity)];
        }

        void add(long nanos) {
            if (size < values.length) {
                values[size++] = nanos;
            }
        }

        /** The nearest-rank percentile, in milliseconds; fails when nothing was recorded. */
        double percentile(int p) {
            if (size == 0) {
                throw new IllegalStateException("No latency was recorded");
            }
            long[] sorted = java.util.Arrays.copyOf(values, size);
            java.util.Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * size);
            return sorted[Math.max(0, rank - 1)] / 1e6;
        }
    }
}
