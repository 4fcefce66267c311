package io.zkmq.bench;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.queue.QueueConfig;
import io.zkmq.sink.ZkmqRecordSerializationSchema;
import io.zkmq.sink.ZkmqSink;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ZKMQ's Flink sink ({@link ZkmqSink}) in a Flink job on a local, in-process MiniCluster, once with
 * {@link DeliveryGuarantee#AT_LEAST_ONCE} and once with {@link DeliveryGuarantee#EXACTLY_ONCE}: a
 * bounded job (parallelism {@link ScenarioContext#flinkParallelism()}, a checkpoint every second)
 * generates {@link ScenarioContext#flinkRecords()} records of {@code --record-size} bytes with
 * Flink's {@link DataGeneratorSource} and writes them with null keys (round-robin) into an empty
 * queue of {@value #PARTITIONS} partitions.
 *
 * <p>The figure is records written over the time from the first record any subtask handed to the
 * sink (taken inside the job, by a pass-through map chained to the sink and reported through
 * accumulators) to the moment the job finished (its result arrived at the client). The end is the
 * job's end for both guarantees because exactly-once records become visible only when the final
 * checkpoint commits, which is the last thing the job does; at-least-once records are visible a
 * little earlier (after the writers' final flush), but the job also waits for that final
 * checkpoint, so both figures include it. Job submission, task deployment and the sink's start-up
 * are not counted; the scenario logs them separately. Afterwards the queue must hold exactly the
 * records generated (the sum of its partition heads), or the scenario fails. Each queue is deleted
 * once it has been counted, so that the second job does not run against a ZooKeeper heap that still
 * holds the first job's records.
 *
 * <p>The queues live in a scratch tree ({@link ScenarioContext#newScratchPath}) used as the
 * ZooKeeper chroot of every ZKMQ client here, the job's included, so that the whole tree,
 * transactions and all, is deleted afterwards.
 */
final class FlinkSinkScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger(FlinkSinkScenario.class);

    static final int PARTITIONS = 4;

    private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    @Override
    public String name() {
        return "flink_sink";
    }

    @Override
    public List<Result> run(ScenarioContext context) throws Exception {
        return FlinkJobs.inScratchChroot(
                context, name(), connectString -> measure(context, connectString));
    }

    private List<Result> measure(ScenarioContext context, String connectString) throws Exception {
        double atLeastOnce =
                measure(context, connectString, DeliveryGuarantee.AT_LEAST_ONCE, "bench-alo");
        double exactlyOnce =
                measure(context, connectString, DeliveryGuarantee.EXACTLY_ONCE, "bench-eo");
        LOG.info(
                String.format(
                        Locale.ROOT,
                        "Exactly-once / at-least-once: %.0f%% (%.0f / %.0f records/s)",
                        100 * exactlyOnce / atLeastOnce,
                        exactlyOnce,
                        atLeastOnce));
        return List.of(
                new Result("flink_sink_alo_records_per_s", atLeastOnce, "records/s"),
                new Result("flink_sink_eo_records_per_s", exactlyOnce, "records/s"));
    }

    /**
     * Writes {@link ScenarioContext#flinkRecords()} records into a new queue with one guarantee:
     * records/s.
     */
    private static double measure(
            ScenarioContext context,
            String connectString,
            DeliveryGuarantee guarantee,
            String queue)
            throws Exception {
        long records = context.flinkRecords();
        try (ZkmqClient client =
                ZkmqClient.connect(ZkmqClientOptions.builder(connectString).build())) {
            createQueue(client, queue, context);

            long submitted = System.nanoTime();
            JobExecutionResult result = runJob(context, connectString, guarantee, queue, records);
            long jobEnd = System.nanoTime();

            RecordClock.Span span = RecordClock.Span.of(result);
            long written = span.records();
            if (written != records) {
                throw new IllegalStateException(
                        "The "
                                + guarantee
                                + " job handed "
                                + written
                                + " records to the sink, expected "
                                + records);
            }
            long stored = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                stored += client.admin().readHead(queue, p).nextOffset();
            }
            if (stored != records) {
                throw new IllegalStateException(
                        "After the "
                                + guarantee
                                + " job, queue '"
                                + queue
                                + "' holds "
                                + stored
                                + " records, expected exactly "
                                + records);
            }

            long first = span.firstNanos();
            long last = span.lastNanos();
            double perSecond = jobEnd > first ? records / FlinkJobs.seconds(jobEnd - first) : 0;
            LOG.info(
                    String.format(
                            Locale.ROOT,
                            "%s: the job handed its first record to the sink %.1f s after"
                                    + " submission and its last %.1f s later, then ended %.1f s after that (final flush or"
                                    + " staging, final checkpoint, commit); %d records in %.1f s (the measured span):"
                                    + " %.0f records/s",
                            guarantee,
                            FlinkJobs.seconds(first - submitted),
                            FlinkJobs.seconds(last - first),
                            FlinkJobs.seconds(jobEnd - last),
                            records,
                            FlinkJobs.seconds(jobEnd - first),
                            perSecond));

            // ZooKeeper holds the whole tree in its heap: the next job starts without this queue's
            // records.
            client.admin().deleteQueue(queue);
            return perSecond;
        }
    }

    private static void createQueue(ZkmqClient client, String queue, ScenarioContext context) {
        int batchBytes = Math.min(context.batchBytes(), QueueConfig.MAX_BATCH_BYTES_LIMIT);
        client.admin()
                .createQueue(
                        queue,
                        QueueConfig.builder()
                                .partitions(PARTITIONS)
                                .maxBatchBytes(batchBytes)
                                // The default (128 MiB) would trim records before the scenario
                                // counts them.
                                .retentionBytes(1L << 40)
                                .build());
    }

    private static JobExecutionResult runJob(
            ScenarioContext context,
            String connectString,
            DeliveryGuarantee guarantee,
            String queue,
            long records)
            throws Exception {
        byte[] suffix = new byte[4];
        ThreadLocalRandom.current().nextBytes(suffix);
        ZkmqSink<byte[]> sink =
                ZkmqSink.<byte[]>builder()
                        .setZookeeper(connectString)
                        .setQueue(queue)
                        .setRecordSerializer(
                                ZkmqRecordSerializationSchema.<byte[]>builder()
                                        .setValueSerializationSchema(value -> value)
                                        .build())
                        .setDeliveryGuarantee(guarantee)
                        .setTransactionalIdPrefix("bench-" + HexFormat.of().formatHex(suffix))
                        .build();
        DataGeneratorSource<byte[]> source =
                new DataGeneratorSource<>(
                        new FixedValue(Payloads.random(context.recordSize())),
                        records,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

        Configuration configuration = new Configuration();
        // A restarted job would write some records twice (at-least-once) and count only the last
        // attempt's: fail.
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        context.flinkParallelism(), configuration);
        env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis());
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "generator")
                .map(new RecordClock())
                .name("write-clock")
                .sinkTo(sink)
                .name("zkmq-sink");

        return FlinkJobs.run(env, "zkmq benchmark: flink_sink " + guarantee, records);
    }

    /**
     * The same value for every index: the cheapest generator, so the figure is the sink's own cost.
     */
    static final class FixedValue implements GeneratorFunction<Long, byte[]> {
        private static final long serialVersionUID = 1L;

        private final byte[] value;

        FixedValue(byte[] value) {
            this.value = value;
        }

        @Override
        public byte[] map(Long index) {
            return value;
        }
    }
}
