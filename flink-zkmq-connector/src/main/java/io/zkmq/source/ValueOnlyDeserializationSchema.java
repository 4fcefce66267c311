package io.zkmq.source;

import io.zkmq.queue.QueueRecord;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/** A {@link ZkmqRecordDeserializationSchema} over the value bytes only. */
final class ValueOnlyDeserializationSchema<T> implements ZkmqRecordDeserializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final DeserializationSchema<T> valueSchema;

    ValueOnlyDeserializationSchema(DeserializationSchema<T> valueSchema) {
        this.valueSchema =
                Objects.requireNonNull(
                        valueSchema, "value deserialization schema must not be null");
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        valueSchema.open(context);
    }

    @Override
    public void deserialize(QueueRecord record, Collector<T> out) throws IOException {
        valueSchema.deserialize(record.value(), out);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return valueSchema.getProducedType();
    }
}
