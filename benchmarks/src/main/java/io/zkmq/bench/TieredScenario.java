package io.zkmq.bench;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ProducerOptions;
import io.zkmq.client.QueueDescription;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.ZkmqSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Tiered storage under load: a queue of {@value #PARTITIONS} partitions with a local-file tier and
 * {@value #HOT_MIB} MiB of hot retention per partition is written at full speed for {@link
 * ScenarioContext#tieredDuration()} by a producer whose client leads maintenance (offload every
 * second), while ZooKeeper's {@code zk_approximate_data_size} is sampled. Then the whole history is
 * read back once with the plain consumer and once with the Flink source (parallelism {@link
 * ScenarioContext#flinkParallelism()}), both from the earliest offset, most of it from the tier.
 *
 * <p>Compare {@code tiered_produce_records_per_s} with {@code zkmq_produce_records_per_s} of the
 * same run (same partitions and record size, no tier).
 */
final class TieredScenario implements Scenario {
    static final int PARTITIONS = 4;
    static final int HOT_MIB = 16;

    private static final String QUEUE = "tiered";
    private static final Duration MAINTENANCE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration SAMPLE_INTERVAL = Duration.ofMillis(250);

    @Override
    public String name() {
        return "tiered";
    }

    @Override
    public List<Result> run(ScenarioContext context) throws Exception {
        Path tier = Files.createTempDirectory("zkmq-bench-tier");
        // A namespace, not a chroot: a chrooted session cannot set the queue's byte quota.
        String namespace = "zkmq-bench-tiered-" + UUID.randomUUID().toString().substring(0, 8);
        ZkmqClientOptions options =
                ZkmqClientOptions.builder(context.connectString())
                        .namespace(namespace)
                        .maintenanceInterval(MAINTENANCE_INTERVAL)
                        .build();
        try (ZkmqClient client = ZkmqClient.connect(options)) {
            try {
                return measure(context, client, namespace, tier);
            } finally {
                if (client.admin().queueExists(QUEUE)) {
                    client.admin().deleteQueue(QUEUE); // removes its quota too
                }
                client.curator().delete().deletingChildrenIfNeeded().forPath("/");
            }
        } finally {
            deleteRecursively(tier);
        }
    }

    private List<Result> measure(
            ScenarioContext context, ZkmqClient client, String namespace, Path tier)
            throws Exception {
        List<Result> results = new ArrayList<>();
        ZooKeeperStats stats = new ZooKeeperStats(context.connectString());
        long records;
        {
            int batchBytes = Math.min(context.batchBytes(), QueueConfig.MAX_BATCH_BYTES_LIMIT);
            long hotBytes = HOT_MIB * 1024L * 1024L;
            client.admin()
                    .createQueue(
                            QUEUE,
                            QueueConfig.builder()
                                    .partitions(PARTITIONS)
                                    .maxBatchBytes(batchBytes)
                                    .tierUri(tier.toUri().toString())
                                    .hotRetentionBytes(hotBytes)
                                    .retentionBytes(1L << 40)
                                    // The hard bound of the hot tail if offload falls behind.
                                    .quotaBytes(1L << 30)
                                    .build());
            AtomicLong maxDataSize = new AtomicLong();
            AtomicReference<Exception> sampleFailure = new AtomicReference<>();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(
                    () -> {
                        try {
                            maxDataSize.accumulateAndGet(stats.approximateDataSize(), Math::max);
                        } catch (IOException e) {
                            sampleFailure.compareAndSet(null, e);
                        }
                    },
                    0,
                    SAMPLE_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            try {
                records = produce(client, context);
            } finally {
                sampler.shutdownNow();
                sampler.awaitTermination(10, TimeUnit.SECONDS);
            }
            double seconds = FlinkJobs.seconds(System.nanoTime() - start);
            if (sampleFailure.get() != null) {
                throw sampleFailure.get();
            }
            results.add(new Result("tiered_produce_records_per_s", records / seconds, "records/s"));
            results.add(new Result("tiered_zk_data_MB_max", maxDataSize.get() / 1e6, "MB"));
            QueueDescription description = client.admin().describeQueue(QUEUE);
            results.add(new Result("tiered_retained_MB", description.totalBytes() / 1e6, "MB"));
            results.add(
                    new Result("tiered_zk_data_MB_end", stats.approximateDataSize() / 1e6, "MB"));
            results.add(
                    new Result(
                            "tiered_catchup_records_per_s",
                            consumeAll(client, records),
                            "records/s"));
        }
        results.add(
                new Result(
                        "tiered_flink_catchup_records_per_s",
                        readWithFlink(context, namespace, records),
                        "records/s"));
        return results;
    }

    private static long produce(ZkmqClient client, ScenarioContext context) {
        byte[] value = Payloads.random(context.recordSize());
        long records = 0;
        long end = System.nanoTime() + context.tieredDuration().toNanos();
        try (ZkmqProducer producer =
                client.producer(
                        QUEUE,
                        ProducerOptions.builder()
                                .bufferBytes(128L * 1024 * 1024)
                                .joinMaintenance(true)
                                .build())) {
            while (System.nanoTime() < end) {
                for (int i = 0; i < 1000; i++) {
                    producer.send(new Record(null, value, List.of(), System.currentTimeMillis()));
                }
                records += 1000;
            }
            producer.flush(); // throws if any record failed
        }
        return records;
    }

    private static double consumeAll(ZkmqClient client, long records) throws Exception {
        long read = 0;
        long start = System.nanoTime();
        Duration limit = Duration.ofSeconds(Math.max(120, records / 100_000));
        long deadline = start + limit.toNanos();
        try (ZkmqConsumer consumer =
                client.consumer(
                        QUEUE,
                        ConsumerOptions.builder()
                                .prefetchBatches(8)
                                .maxPollRecords(100_000)
                                .joinMaintenance(false)
                                .build())) {
            consumer.assignAll(StartingPosition.earliest());
            while (read < records) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Consumed only " + read + " of " + records + " records in " + limit);
                }
                read += consumer.poll(Duration.ofSeconds(1)).size();
            }
        }
        if (read != records) {
            throw new IllegalStateException("Consumed " + read + " records, expected " + records);
        }
        return read / FlinkJobs.seconds(System.nanoTime() - start);
    }

    private static double readWithFlink(ScenarioContext context, String namespace, long records)
            throws Exception {
        ZkmqSource<byte[]> source =
                ZkmqSource.<byte[]>builder()
                        .setZookeeper(context.connectString())
                        .setNamespace(namespace)
                        .setQueues(QUEUE)
                        .setGroup("tiered-bench")
                        .setStartingPosition(StartingPosition.earliest())
                        .setBounded(StoppingPosition.latest())
                        .setDeserializer(new FlinkSourceScenario.ValueBytes())
                        .build();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        context.flinkParallelism(), new Configuration());
        env.enableCheckpointing(Duration.ofSeconds(1).toMillis());
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "zkmq-source")
                .map(new RecordClock())
                .name("read-clock")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        JobExecutionResult result = FlinkJobs.run(env, "zkmq benchmark: tiered", records);
        RecordClock.Span span = RecordClock.Span.of(result);
        if (span.records() != records) {
            throw new IllegalStateException(
                    "The Flink job read " + span.records() + " records, expected " + records);
        }
        long first = span.firstNanos();
        long last = span.lastNanos();
        return last > first ? records / FlinkJobs.seconds(last - first) : 0;
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
