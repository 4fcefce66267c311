package io.zkmq.sink;

import java.io.Serializable;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Turns an element into the record (key, value, headers, timestamp) the sink writes, and optionally
 * its partition. {@link #builder()} composes one from Flink {@link SerializationSchema}s.
 */
@PublicEvolving
public interface ZkmqRecordSerializationSchema<T> extends Serializable {

    /** What a serializer may ask about where it writes. */
    interface SinkContext {
        int subtask();

        int parallelism();

        /** Current partition count of a queue, as pushed by its config watch. */
        int partitionCount(String queue);
    }

    /** Called once per writer before the first element. */
    default void open(SerializationSchema.InitializationContext context, SinkContext sinkContext)
            throws Exception {}

    /**
     * @param queue the queue the element goes to
     * @param timestamp the element's Flink timestamp, or null if it has none
     */
    ZkmqSinkRecord serialize(T element, String queue, SinkContext context, Long timestamp);

    static <T> ZkmqRecordSerializationSchemaBuilder<T> builder() {
        return new ZkmqRecordSerializationSchemaBuilder<>();
    }
}
