package io.zkmq.source;

import io.zkmq.queue.QueueRecord;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;

/**
 * Turns a queue record (queue, partition, offset, key, value, headers, timestamp) into zero or more
 * output values. {@link #valueOnly} adapts a plain Flink {@link DeserializationSchema} of the value
 * bytes.
 */
@PublicEvolving
public interface ZkmqRecordDeserializationSchema<T> extends Serializable, ResultTypeQueryable<T> {

    /** Called once per reader before the first record. */
    default void open(DeserializationSchema.InitializationContext context) throws Exception {}

    void deserialize(QueueRecord record, Collector<T> out) throws IOException;

    /** Deserializes only the value bytes with {@code valueSchema}. */
    static <T> ZkmqRecordDeserializationSchema<T> valueOnly(DeserializationSchema<T> valueSchema) {
        return new ValueOnlyDeserializationSchema<>(valueSchema);
    }
}
