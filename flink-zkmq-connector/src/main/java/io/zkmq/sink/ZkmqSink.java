package io.zkmq.sink;

import io.zkmq.sink.committer.ZkmqCommittable;
import io.zkmq.sink.committer.ZkmqCommittableSerializer;
import io.zkmq.sink.committer.ZkmqCommitter;
import io.zkmq.sink.writer.ZkmqSinkWriter;
import io.zkmq.sink.writer.ZkmqWriterState;
import io.zkmq.sink.writer.ZkmqWriterStateSerializer;
import java.util.Collection;
import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Flink Sink V2 writing to ZKMQ queues with delivery guarantee NONE, AT_LEAST_ONCE or EXACTLY_ONCE.
 * For exactly-once, writers stage each checkpoint's records per partition and the committer makes
 * them visible once the checkpoint completes (design section 5, docs/sink.md).
 */
@PublicEvolving
public final class ZkmqSink<IN>
        implements Sink<IN>,
                SupportsCommitter<ZkmqCommittable>,
                SupportsWriterState<IN, ZkmqWriterState> {
    private static final long serialVersionUID = 1L;

    private final ZkmqSinkConfig config;
    private final QueueSelector<IN> queueSelector;
    private final ZkmqRecordSerializationSchema<IN> serializer;

    ZkmqSink(
            ZkmqSinkConfig config,
            QueueSelector<IN> queueSelector,
            ZkmqRecordSerializationSchema<IN> serializer) {
        this.config = config;
        this.queueSelector = queueSelector;
        this.serializer = serializer;
    }

    public static <IN> ZkmqSinkBuilder<IN> builder() {
        return new ZkmqSinkBuilder<>();
    }

    public ZkmqSinkConfig config() {
        return config;
    }

    @Override
    public ZkmqSinkWriter<IN> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public ZkmqSinkWriter<IN> restoreWriter(
            WriterInitContext context, Collection<ZkmqWriterState> recoveredState) {
        return new ZkmqSinkWriter<>(config, queueSelector, serializer, context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<ZkmqWriterState> getWriterStateSerializer() {
        return new ZkmqWriterStateSerializer();
    }

    @Override
    public Committer<ZkmqCommittable> createCommitter(CommitterInitContext context) {
        return new ZkmqCommitter(config);
    }

    @Override
    public SimpleVersionedSerializer<ZkmqCommittable> getCommittableSerializer() {
        return new ZkmqCommittableSerializer();
    }
}
