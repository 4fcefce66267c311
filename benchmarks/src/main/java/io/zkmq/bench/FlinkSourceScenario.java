package io.zkmq.bench;

import io.zkmq.client.ProducerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.ZkmqRecordDeserializationSchema;
import io.zkmq.source.ZkmqSource;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZKMQ's Flink source ({@link ZkmqSource}) in a Flink job on a local, in-process MiniCluster:
 * pre-fill a queue of {@value #PARTITIONS} partitions with {@link ScenarioContext#flinkRecords()}
 * records of {@code --record-size} bytes through the plain client producer, then read all of them
 * with a bounded job (parallelism {@link ScenarioContext#flinkParallelism()}, a checkpoint every
 * second, offsets committed on checkpoints) into a discarding sink.
 *
 * <p>The figure is records read over the time from the first record any reader emitted to the last
 * record, both taken inside the job (a pass-through map chained to the source, reported through
 * accumulators). Job submission, task deployment, lock acquisition and the final checkpoint before
 * the job ends are not counted.
 *
 * <p>The queue lives in a scratch tree ({@link ScenarioContext#newScratchPath}) used as the
 * ZooKeeper chroot of every ZKMQ client here, the job's included, so that the whole tree is deleted
 * afterwards.
 */
final class FlinkSourceScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkSourceScenario.class);

    static final int PARTITIONS = 4;

    private static final String QUEUE = "bench";
    private static final String GROUP = "flink-bench";
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    @Override
    public String name() {
        return "flink_source";
    }

    @Override
    public List<Result> run(ScenarioContext context) throws Exception {
        return FlinkJobs.inScratchChroot(
                context, name(), connectString -> measure(context, connectString));
    }

    private List<Result> measure(ScenarioContext context, String connectString) throws Exception {
        long records = context.flinkRecords();
        long prefillStart = System.nanoTime();
        prefill(context, connectString, records);
        long submitted = System.nanoTime();
        JobExecutionResult result = runJob(context, connectString, records);
        long jobEnd = System.nanoTime();

        RecordClock.Span span = RecordClock.Span.of(result);
        long read = span.records();
        if (read != records) {
            throw new IllegalStateException(
                    "The Flink job read " + read + " records, expected " + records);
        }
        long first = span.firstNanos();
        long last = span.lastNanos();
        LOG.info(
                String.format(
                        Locale.ROOT,
                        "Wrote %d records in %.1f s; the job emitted its first record %.1f s after"
                                + " submission, read them all in %.1f s (the measured span) and ended %.1f s later",
                        records,
                        FlinkJobs.seconds(submitted - prefillStart),
                        FlinkJobs.seconds(first - submitted),
                        FlinkJobs.seconds(last - first),
                        FlinkJobs.seconds(jobEnd - last)));
        double perSecond = last > first ? read / FlinkJobs.seconds(last - first) : 0;
        return List.of(new Result("flink_source_records_per_s", perSecond, "records/s"));
    }

    /**
     * Creates the queue and writes {@code records} records to it, round-robin over its partitions.
     */
    private static void prefill(ScenarioContext context, String connectString, long records) {
        try (ZkmqClient client =
                ZkmqClient.connect(ZkmqClientOptions.builder(connectString).build())) {
            int batchBytes = Math.min(context.batchBytes(), QueueConfig.MAX_BATCH_BYTES_LIMIT);
            client.admin()
                    .createQueue(
                            QUEUE,
                            QueueConfig.builder()
                                    .partitions(PARTITIONS)
                                    .maxBatchBytes(batchBytes)
                                    // The default (128 MiB) would trim a few million records before
                                    // the job reads them.
                                    .retentionBytes(1L << 40)
                                    .build());
            byte[] value = Payloads.random(context.recordSize());
            try (ZkmqProducer producer =
                    client.producer(
                            QUEUE,
                            ProducerOptions.builder()
                                    .bufferBytes(128L * 1024 * 1024)
                                    .joinMaintenance(false)
                                    .build())) {
                for (long i = 0; i < records; i++) {
                    producer.send(new Record(null, value, List.of(), System.currentTimeMillis()));
                }
                producer.flush(); // throws if any record failed
            }
        }
    }

    private static JobExecutionResult runJob(
            ScenarioContext context, String connectString, long records) throws Exception {
        ZkmqSource<byte[]> source =
                ZkmqSource.<byte[]>builder()
                        .setZookeeper(connectString)
                        .setQueues(QUEUE)
                        .setGroup(GROUP)
                        .setStartingPosition(StartingPosition.earliest())
                        .setBounded(StoppingPosition.latest())
                        .setDeserializer(new ValueBytes())
                        .build();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        context.flinkParallelism(), new Configuration());
        env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis());
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "zkmq-source")
                .map(new RecordClock())
                .name("read-clock")
                .sinkTo(new DiscardingSink<>())
                .name("discard");

        return FlinkJobs.run(env, "zkmq benchmark: flink_source", records);
    }

    /**
     * The value bytes as they are: the cheapest deserializer, so the figure is the source's own
     * cost.
     */
    static final class ValueBytes implements ZkmqRecordDeserializationSchema<byte[]> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(QueueRecord record, Collector<byte[]> out) {
            out.collect(record.value());
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }
}
