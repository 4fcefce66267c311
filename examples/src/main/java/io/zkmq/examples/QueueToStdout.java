package io.zkmq.examples;

import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.ZkmqRecordDeserializationSchema;
import io.zkmq.source.ZkmqSource;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Reads a queue (to its current end with {@code --bounded}, or forever) and prints partition,
 * offset, key and value.
 */
@Command(
        name = "QueueToStdout",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Prints the records of a ZKMQ queue with a Flink job.")
public final class QueueToStdout implements JobParameters.Validated {
    @Mixin JobParameters.Connection connection = new JobParameters.Connection();

    @Mixin JobParameters.Flink flink = new JobParameters.Flink();

    @Option(names = "--queue", required = true, paramLabel = "NAME", description = "Queue to read.")
    String queue;

    @Option(
            names = "--group",
            paramLabel = "NAME",
            defaultValue = "queue-to-stdout",
            description = "Consumer group (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(
            names = "--start",
            paramLabel = "POSITION",
            defaultValue = "earliest",
            description = "earliest, latest or committed (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--bounded", description = "Stop at the queue's end as of the start.")
    boolean bounded;

    public static void main(String[] args) throws Exception {
        QueueToStdout job = JobParameters.parseOrExit(new QueueToStdout(), args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job.addTo(env);
        env.execute("QueueToStdout " + job.queue);
    }

    @Override
    public void validate() {
        if (connection.zookeeper == null) {
            throw new IllegalArgumentException("Missing --zookeeper HOST:PORT");
        }
        if (flink.parallelism < 1) {
            throw new IllegalArgumentException(
                    "--parallelism must be >= 1, got " + flink.parallelism);
        }
        if (!start.equals("earliest") && !start.equals("latest") && !start.equals("committed")) {
            throw new IllegalArgumentException(
                    "--start must be earliest, latest or committed, got '" + start + "'");
        }
    }

    void addTo(StreamExecutionEnvironment env) {
        env.setParallelism(flink.parallelism);
        env.enableCheckpointing(flink.checkpointInterval.toMillis());
        var source =
                ZkmqSource.<String>builder()
                        .setZookeeper(connection.zookeeper)
                        .setNamespace(connection.namespace)
                        .setQueues(queue)
                        .setGroup(group)
                        .setStartingPosition(
                                switch (start) {
                                    case "latest" -> StartingPosition.latest();
                                    case "committed" ->
                                            StartingPosition.committed(StartingPosition.earliest());
                                    default -> StartingPosition.earliest();
                                })
                        .setDeserializer(new Describe());
        if (bounded) {
            source.setBounded(StoppingPosition.latest());
        }
        env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "zkmq: " + queue)
                .uid("source")
                .print();
    }

    /** {@code <partition>@<offset> <key> <value>}. */
    static final class Describe implements ZkmqRecordDeserializationSchema<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(QueueRecord r, Collector<String> out) {
            out.collect(
                    r.partition()
                            + "@"
                            + r.offset()
                            + " "
                            + (r.key() == null ? "-" : r.keyAsString())
                            + " "
                            + r.valueAsString());
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
