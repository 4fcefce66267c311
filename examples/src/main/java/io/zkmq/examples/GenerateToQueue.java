package io.zkmq.examples;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.sink.ZkmqRecordSerializationSchema;
import io.zkmq.sink.ZkmqSink;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Generates keyed purchase events ({@code customer-<k>,<seq>,<amount>}) into a queue, at a given
 * rate or as fast as possible, a fixed number or forever. Creates the queue if it does not exist.
 */
@Command(
        name = "GenerateToQueue",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Generates keyed events into a ZKMQ queue with a Flink job.")
public final class GenerateToQueue implements JobParameters.Validated {
    @Mixin JobParameters.Connection connection = new JobParameters.Connection();

    @Mixin JobParameters.Flink flink = new JobParameters.Flink();

    @Option(
            names = "--queue",
            required = true,
            paramLabel = "NAME",
            description = "Queue to write to.")
    String queue;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "4",
            description =
                    "Partitions of the queue if it has to be created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--records",
            paramLabel = "N",
            defaultValue = "-1",
            description = "Records to generate; -1 for no end (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(
            names = "--rate",
            paramLabel = "PER_SECOND",
            defaultValue = "0",
            description =
                    "Records per second over all subtasks; 0 for as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--customers",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
            names = "--delivery-guarantee",
            paramLabel = "GUARANTEE",
            defaultValue = "at-least-once",
            converter = Guarantees.class,
            description = "none, at-least-once or exactly-once (default: ${DEFAULT-VALUE}).")
    DeliveryGuarantee guarantee;

    @Option(
            names = "--transactional-id-prefix",
            paramLabel = "PREFIX",
            description = "Exactly-once transaction names (default: generate-<queue>).")
    String transactionalIdPrefix;

    public static void main(String[] args) throws Exception {
        GenerateToQueue job = JobParameters.parseOrExit(new GenerateToQueue(), args);
        job.createQueueIfMissing();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job.addTo(env);
        env.execute("GenerateToQueue -> " + job.queue);
    }

    @Override
    public void validate() {
        if (connection.zookeeper == null) {
            throw new IllegalArgumentException("Missing --zookeeper HOST:PORT");
        }
        if (records == 0
                || records < -1
                || rate < 0
                || customers < 1
                || partitions < 1
                || flink.parallelism < 1) {
            throw new IllegalArgumentException(
                    "--records must be -1 or positive, --rate >= 0, --customers,"
                            + " --partitions and --parallelism >= 1");
        }
    }

    void createQueueIfMissing() {
        try (ZkmqClient client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(connection.zookeeper)
                                .namespace(connection.namespace)
                                .build())) {
            try {
                client.admin().readConfig(queue);
            } catch (QueueNotFoundException e) {
                client.admin()
                        .createQueue(queue, QueueConfig.builder().partitions(partitions).build());
                System.out.println(
                        "Created queue " + queue + " with " + partitions + " partitions");
            }
        }
    }

    /** Adds the generator and the sink to {@code env}. */
    void addTo(StreamExecutionEnvironment env) {
        env.setParallelism(flink.parallelism);
        env.enableCheckpointing(flink.checkpointInterval.toMillis());
        int keys = customers;
        GeneratorFunction<Long, String> events = i -> Event.generate(i, keys).text();
        DataGeneratorSource<String> source =
                new DataGeneratorSource<>(
                        events,
                        records < 0 ? Long.MAX_VALUE : records,
                        rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(),
                        Types.STRING);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "events")
                .uid("events")
                .sinkTo(
                        ZkmqSink.<String>builder()
                                .setZookeeper(connection.zookeeper)
                                .setNamespace(connection.namespace)
                                .setQueue(queue)
                                .setRecordSerializer(
                                        ZkmqRecordSerializationSchema.<String>builder()
                                                .setKeySerializationSchema(
                                                        GenerateToQueue::customerKey)
                                                .setValueSerializationSchema(
                                                        new SimpleStringSchema())
                                                .build())
                                .setDeliveryGuarantee(guarantee)
                                .setTransactionalIdPrefix(
                                        transactionalIdPrefix != null
                                                ? transactionalIdPrefix
                                                : "generate-" + queue)
                                .build())
                .name("zkmq: " + queue)
                .uid("sink");
    }

    /** The customer (text before the first comma) as key bytes. */
    static byte[] customerKey(String event) {
        return event.substring(0, event.indexOf(',')).getBytes(StandardCharsets.UTF_8);
    }
}
