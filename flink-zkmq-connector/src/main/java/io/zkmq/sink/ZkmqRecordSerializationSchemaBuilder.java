package io.zkmq.sink;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.Header;
import io.zkmq.queue.Record;
import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Builds a {@link ZkmqRecordSerializationSchema} from a value schema (required), a key schema, a
 * header provider and a partitioner (all optional). The record timestamp is the element's Flink
 * timestamp, or the time of writing if it has none.
 */
@PublicEvolving
public final class ZkmqRecordSerializationSchemaBuilder<T> {
    private SerializationSchema<? super T> keySchema;
    private SerializationSchema<? super T> valueSchema;
    private HeaderProvider<? super T> headers;
    private ZkmqPartitioner<? super T> partitioner;

    ZkmqRecordSerializationSchemaBuilder() {}

    /**
     * Key bytes: records with equal keys go to the same partition, in order. Without it keys are
     * null.
     */
    public ZkmqRecordSerializationSchemaBuilder<T> setKeySerializationSchema(
            SerializationSchema<? super T> schema) {
        this.keySchema =
                Objects.requireNonNull(schema, "key serialization schema must not be null");
        return this;
    }

    public ZkmqRecordSerializationSchemaBuilder<T> setValueSerializationSchema(
            SerializationSchema<? super T> schema) {
        this.valueSchema =
                Objects.requireNonNull(schema, "value serialization schema must not be null");
        return this;
    }

    public ZkmqRecordSerializationSchemaBuilder<T> setHeaderProvider(
            HeaderProvider<? super T> provider) {
        this.headers = Objects.requireNonNull(provider, "header provider must not be null");
        return this;
    }

    /** Replaces key hashing with your own choice of partition. */
    public ZkmqRecordSerializationSchemaBuilder<T> setPartitioner(
            ZkmqPartitioner<? super T> partitioner) {
        this.partitioner = Objects.requireNonNull(partitioner, "partitioner must not be null");
        return this;
    }

    public ZkmqRecordSerializationSchema<T> build() {
        if (valueSchema == null) {
            throw new InvalidConfigException(
                    "No value serialization schema set: call setValueSerializationSchema("
                            + "new SimpleStringSchema()) or similar");
        }
        return new Composed<>(keySchema, valueSchema, headers, partitioner);
    }

    private record Composed<T>(
            SerializationSchema<? super T> keySchema,
            SerializationSchema<? super T> valueSchema,
            HeaderProvider<? super T> headers,
            ZkmqPartitioner<? super T> partitioner)
            implements ZkmqRecordSerializationSchema<T> {

        @Override
        public void open(SerializationSchema.InitializationContext context, SinkContext sinkContext)
                throws Exception {
            if (keySchema != null) {
                keySchema.open(context);
            }
            valueSchema.open(context);
            if (partitioner != null) {
                partitioner.open(sinkContext.subtask(), sinkContext.parallelism());
            }
        }

        @Override
        public ZkmqSinkRecord serialize(
                T element, String queue, SinkContext context, Long timestamp) {
            byte[] key = keySchema == null ? null : keySchema.serialize(element);
            byte[] value = valueSchema.serialize(element);
            List<Header> h = headers == null ? List.of() : headers.headers(element);
            Record record =
                    new Record(
                            key,
                            value,
                            h,
                            timestamp != null ? timestamp : System.currentTimeMillis());
            if (partitioner == null) {
                return ZkmqSinkRecord.routed(record);
            }
            int partitions = context.partitionCount(queue);
            int partition = partitioner.partition(element, key, value, queue, partitions);
            if (partition < 0 || partition >= partitions) {
                throw new IllegalArgumentException(
                        "The partitioner chose partition "
                                + partition
                                + " of queue '"
                                + queue
                                + "', which has partitions 0.."
                                + (partitions - 1));
            }
            return new ZkmqSinkRecord(record, partition);
        }
    }
}
