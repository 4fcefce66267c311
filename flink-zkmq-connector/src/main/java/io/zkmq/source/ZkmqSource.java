package io.zkmq.source;

import io.zkmq.source.enumerator.ZkmqEnumState;
import io.zkmq.source.enumerator.ZkmqEnumStateSerializer;
import io.zkmq.source.enumerator.ZkmqSourceEnumerator;
import io.zkmq.source.reader.ZkmqSourceReader;
import io.zkmq.source.split.ZkmqSplit;
import io.zkmq.source.split.ZkmqSplitSerializer;
import java.util.UUID;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SupportsSplitReassignmentOnRecovery;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A FLIP-27 source reading ZKMQ queues. Each partition of each queue is a split; the enumerator
 * assigns splits to readers with the sticky balanced assignment (every reader holds floor or ceil
 * of splits/readers, and rescaling moves the fewest splits possible), and implements {@link
 * SupportsSplitReassignmentOnRecovery} so restored splits go back through that assignment instead
 * of Flink's round-robin. Before reading a partition a reader takes the group's partition lock;
 * positions are committed to the group, fenced, when checkpoints complete.
 *
 * <pre>{@code
 * ZkmqSource<String> source = ZkmqSource.<String>builder()
 *     .setZookeeper("zk1:2181")
 *     .setQueues("orders")
 *     .setGroup("billing")
 *     .setStartingPosition(StartingPosition.committed(StartingPosition.earliest()))
 *     .setValueOnlyDeserializer(new SimpleStringSchema())
 *     .build();
 * }</pre>
 */
@PublicEvolving
public final class ZkmqSource<OUT>
        implements Source<OUT, ZkmqSplit, ZkmqEnumState>,
                ResultTypeQueryable<OUT>,
                SupportsSplitReassignmentOnRecovery {
    private static final long serialVersionUID = 1L;

    private final ZkmqSourceConfig config;
    private final ZkmqRecordDeserializationSchema<OUT> deserializer;
    private final RateLimiterStrategy<ZkmqSplit> rateLimiter;

    ZkmqSource(
            ZkmqSourceConfig config,
            ZkmqRecordDeserializationSchema<OUT> deserializer,
            RateLimiterStrategy<ZkmqSplit> rateLimiter) {
        this.config = config;
        this.deserializer = deserializer;
        this.rateLimiter = rateLimiter;
    }

    public static <OUT> ZkmqSourceBuilder<OUT> builder() {
        return new ZkmqSourceBuilder<>();
    }

    public ZkmqSourceConfig config() {
        return config;
    }

    @Override
    public Boundedness getBoundedness() {
        return config.stop().isBounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<OUT, ZkmqSplit> createReader(SourceReaderContext context) throws Exception {
        deserializer.open(
                new DeserializationSchema.InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return context.metricGroup().addGroup("deserializer");
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return context.getUserCodeClassLoader();
                    }
                });
        return ZkmqSourceReader.create(
                config, deserializer, context, ownerId(context), rateLimiter);
    }

    /** The configured owner id, else the job id: every attempt of a job is the same owner. */
    private String ownerId(SourceReaderContext context) {
        if (config.ownerId().isPresent()) {
            return config.ownerId().get();
        }
        String jobId = context.metricGroup().getAllVariables().get("<job_id>");
        return "job-" + (jobId != null ? jobId : UUID.randomUUID().toString());
    }

    @Override
    public SplitEnumerator<ZkmqSplit, ZkmqEnumState> createEnumerator(
            SplitEnumeratorContext<ZkmqSplit> context) {
        return new ZkmqSourceEnumerator(config, context, getBoundedness(), null);
    }

    @Override
    public SplitEnumerator<ZkmqSplit, ZkmqEnumState> restoreEnumerator(
            SplitEnumeratorContext<ZkmqSplit> context, ZkmqEnumState checkpoint) {
        return new ZkmqSourceEnumerator(config, context, getBoundedness(), checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ZkmqSplit> getSplitSerializer() {
        return ZkmqSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<ZkmqEnumState> getEnumeratorCheckpointSerializer() {
        return ZkmqEnumStateSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<OUT> getProducedType() {
        return deserializer.getProducedType();
    }
}
