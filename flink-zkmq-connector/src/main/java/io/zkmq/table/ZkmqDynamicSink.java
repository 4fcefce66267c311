package io.zkmq.table;

import io.zkmq.sink.ZkmqSink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * Writing side of a 'zkmq' table: the DataStream {@link ZkmqSink} with formats for key and value.
 */
final class ZkmqDynamicSink implements DynamicTableSink, SupportsWritingMetadata {
    private final DataType physicalType;
    private final EncodingFormat<SerializationSchema<RowData>>
            keyFormat; // null without key columns
    private final EncodingFormat<SerializationSchema<RowData>> valueFormat;
    private final int[] keyProjection;
    private final int[] valueProjection;
    private final Configuration sinkOptions;
    private final ZkmqTableOptions.SinkPartitioner partitioner;
    private final Integer parallelism;

    private List<String> metadataKeys = List.of();

    ZkmqDynamicSink(
            DataType physicalType,
            EncodingFormat<SerializationSchema<RowData>> keyFormat,
            EncodingFormat<SerializationSchema<RowData>> valueFormat,
            int[] keyProjection,
            int[] valueProjection,
            Configuration sinkOptions,
            ZkmqTableOptions.SinkPartitioner partitioner,
            Integer parallelism) {
        this.physicalType = physicalType;
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
        this.keyProjection = keyProjection;
        this.valueProjection = valueProjection;
        this.sinkOptions = sinkOptions;
        this.partitioner = partitioner;
        this.parallelism = parallelism;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return ChangelogMode.insertOnly();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        SerializationSchema<RowData> key =
                keyFormat == null
                        ? null
                        : keyFormat.createRuntimeEncoder(
                                context, Projection.of(keyProjection).project(physicalType));
        SerializationSchema<RowData> value =
                valueFormat.createRuntimeEncoder(
                        context, Projection.of(valueProjection).project(physicalType));
        List<LogicalType> types = physicalType.getLogicalType().getChildren();
        int physicalArity = types.size();
        int headers = metadataKeys.indexOf(WritableMetadata.HEADERS.key);
        int timestamp = metadataKeys.indexOf(WritableMetadata.TIMESTAMP.key);
        RowDataSerializer serializer =
                new RowDataSerializer(
                        key,
                        value,
                        keyProjection,
                        valueProjection,
                        types,
                        headers < 0 ? -1 : physicalArity + headers,
                        timestamp < 0 ? -1 : physicalArity + timestamp,
                        partitioner);
        ZkmqSink<RowData> sink =
                ZkmqSink.<RowData>builder()
                        .setConfiguration(sinkOptions)
                        .setRecordSerializer(serializer)
                        .build();
        return SinkV2Provider.of(sink, parallelism);
    }

    @Override
    public Map<String, DataType> listWritableMetadata() {
        Map<String, DataType> out = new LinkedHashMap<>();
        for (WritableMetadata m : WritableMetadata.values()) {
            out.put(m.key, m.type);
        }
        return out;
    }

    @Override
    public void applyWritableMetadata(List<String> keys, DataType consumedDataType) {
        this.metadataKeys = List.copyOf(keys);
    }

    @Override
    public DynamicTableSink copy() {
        ZkmqDynamicSink copy =
                new ZkmqDynamicSink(
                        physicalType,
                        keyFormat,
                        valueFormat,
                        keyProjection,
                        valueProjection,
                        sinkOptions,
                        partitioner,
                        parallelism);
        copy.metadataKeys = metadataKeys;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "ZKMQ table sink";
    }
}
