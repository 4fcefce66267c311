package io.zkmq.examples;

import io.zkmq.queue.StartingPosition;
import io.zkmq.sink.ZkmqRecordSerializationSchema;
import io.zkmq.sink.ZkmqSink;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.ZkmqSource;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Reads purchase events from one queue, keeps a running count and total per customer (keyed state)
 * and writes {@code customer,seq,amount,count,total} to another queue, exactly once by default.
 */
@Command(
        name = "QueueToQueue",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Reads a ZKMQ queue, computes running totals per key, writes them to another queue.")
public final class QueueToQueue implements JobParameters.Validated {
    @Mixin JobParameters.Connection connection = new JobParameters.Connection();

    @Mixin JobParameters.Flink flink = new JobParameters.Flink();

    @Option(
            names = "--input-queue",
            required = true,
            paramLabel = "NAME",
            description = "Queue to read.")
    String inputQueue;

    @Option(
            names = "--output-queue",
            required = true,
            paramLabel = "NAME",
            description = "Queue to write (must exist).")
    String outputQueue;

    @Option(
            names = "--group",
            paramLabel = "NAME",
            defaultValue = "queue-to-queue",
            description = "Consumer group of the source (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(
            names = "--start",
            paramLabel = "POSITION",
            defaultValue = "committed",
            description =
                    "Where to start without a checkpoint: earliest, latest or committed (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(
            names = "--bounded",
            description = "Stop at the input's end as of the start (the job then finishes).")
    boolean bounded;

    @Option(
            names = "--delivery-guarantee",
            paramLabel = "GUARANTEE",
            defaultValue = "exactly-once",
            converter = Guarantees.class,
            description = "none, at-least-once or exactly-once (default: ${DEFAULT-VALUE}).")
    DeliveryGuarantee guarantee;

    @Option(
            names = "--transactional-id-prefix",
            paramLabel = "PREFIX",
            description =
                    "Exactly-once transaction names (default: queue-to-queue-<output queue>).")
    String transactionalIdPrefix;

    @Option(
            names = "--rate",
            paramLabel = "PER_SECOND",
            defaultValue = "0",
            description =
                    "Read at most this many records per second over all subtasks; 0 for no limit (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--fail-after",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Inject one failure in subtask 0 after N events, in the first attempt only (default: off).")
    long failAfter;

    public static void main(String[] args) throws Exception {
        QueueToQueue job = JobParameters.parseOrExit(new QueueToQueue(), args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(job.restarts());
        job.addTo(env);
        env.execute("QueueToQueue " + job.inputQueue + " -> " + job.outputQueue);
    }

    @Override
    public void validate() {
        if (connection.zookeeper == null) {
            throw new IllegalArgumentException("Missing --zookeeper HOST:PORT");
        }
        startingPosition();
        if (flink.parallelism < 1 || failAfter < 0 || rate < 0) {
            throw new IllegalArgumentException(
                    "--parallelism must be >= 1, --fail-after and --rate >= 0");
        }
    }

    /** A restart strategy that survives the injected failure (and real ones). */
    Configuration restarts() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        return conf;
    }

    StartingPosition startingPosition() {
        return switch (start) {
            case "earliest" -> StartingPosition.earliest();
            case "latest" -> StartingPosition.latest();
            case "committed" -> StartingPosition.committed(StartingPosition.earliest());
            default ->
                    throw new IllegalArgumentException(
                            "--start must be earliest, latest or committed, got '" + start + "'");
        };
    }

    void addTo(StreamExecutionEnvironment env) {
        env.setParallelism(flink.parallelism);
        env.enableCheckpointing(flink.checkpointInterval.toMillis());
        var source =
                ZkmqSource.<String>builder()
                        .setZookeeper(connection.zookeeper)
                        .setNamespace(connection.namespace)
                        .setQueues(inputQueue)
                        .setGroup(group)
                        .setStartingPosition(startingPosition())
                        .setValueOnlyDeserializer(new SimpleStringSchema());
        if (bounded) {
            source.setBounded(StoppingPosition.latest());
        }
        if (rate > 0) {
            source.setRateLimiterStrategy(RateLimiterStrategy.perSecond(rate));
        }
        env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "zkmq: " + inputQueue)
                .uid("source")
                .map(Event::parse)
                .uid("parse")
                .name("parse")
                .map(new FailOnce(failAfter))
                .uid("fail-once")
                .name(failAfter > 0 ? "fail once" : "pass")
                .keyBy(Event::customer)
                .process(new RunningTotals())
                .uid("running-totals")
                .name("running totals")
                .sinkTo(
                        ZkmqSink.<String>builder()
                                .setZookeeper(connection.zookeeper)
                                .setNamespace(connection.namespace)
                                .setQueue(outputQueue)
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
                                                : "queue-to-queue-" + outputQueue)
                                .build())
                .name("zkmq: " + outputQueue)
                .uid("sink");
    }
}
