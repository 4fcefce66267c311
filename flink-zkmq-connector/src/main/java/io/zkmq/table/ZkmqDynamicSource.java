package io.zkmq.table;

import io.zkmq.queue.StartingPosition;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.ZkmqSource;
import io.zkmq.source.ZkmqSourceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.Projection;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

/**
 * Reading side of a 'zkmq' table: the DataStream {@link ZkmqSource} with formats for key and value.
 */
final class ZkmqDynamicSource
        implements ScanTableSource, SupportsReadingMetadata, SupportsWatermarkPushDown {
    private final DataType physicalType;
    private final DecodingFormat<DeserializationSchema<RowData>>
            keyFormat; // null without key columns
    private final DecodingFormat<DeserializationSchema<RowData>> valueFormat;
    private final int[] keyProjection;
    private final int[] valueProjection;
    private final Configuration sourceOptions;
    private final StartingPosition start;
    private final StoppingPosition stop;
    private final Integer parallelism;
    private final String tableName;

    private DataType producedType;
    private List<ReadableMetadata> metadata = List.of();
    private WatermarkStrategy<RowData> watermarkStrategy;

    ZkmqDynamicSource(
            DataType physicalType,
            DecodingFormat<DeserializationSchema<RowData>> keyFormat,
            DecodingFormat<DeserializationSchema<RowData>> valueFormat,
            int[] keyProjection,
            int[] valueProjection,
            Configuration sourceOptions,
            StartingPosition start,
            StoppingPosition stop,
            Integer parallelism,
            String tableName) {
        this.physicalType = physicalType;
        this.producedType = physicalType;
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
        this.keyProjection = keyProjection;
        this.valueProjection = valueProjection;
        this.sourceOptions = sourceOptions;
        this.start = start;
        this.stop = stop;
        this.parallelism = parallelism;
        this.tableName = tableName;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        DeserializationSchema<RowData> key =
                keyFormat == null
                        ? null
                        : keyFormat.createRuntimeDecoder(
                                context, Projection.of(keyProjection).project(physicalType));
        DeserializationSchema<RowData> value =
                valueFormat.createRuntimeDecoder(
                        context, Projection.of(valueProjection).project(physicalType));
        RowDataDeserializer deserializer =
                new RowDataDeserializer(
                        key,
                        value,
                        keyProjection,
                        valueProjection,
                        DataType.getFieldCount(physicalType),
                        metadata,
                        context.createTypeInformation(producedType));
        ZkmqSourceBuilder<RowData> builder =
                ZkmqSource.<RowData>builder()
                        .setConfiguration(sourceOptions)
                        .setStartingPosition(start)
                        .setDeserializer(deserializer);
        if (stop.isBounded()) {
            builder.setBounded(stop);
        }
        ZkmqSource<RowData> source = builder.build();
        WatermarkStrategy<RowData> watermarks =
                watermarkStrategy != null ? watermarkStrategy : WatermarkStrategy.noWatermarks();
        return new DataStreamScanProvider() {
            @Override
            public DataStream<RowData> produceDataStream(
                    ProviderContext provider, StreamExecutionEnvironment env) {
                DataStreamSource<RowData> stream =
                        env.fromSource(source, watermarks, "zkmq: " + tableName);
                provider.generateUid("zkmq-source").ifPresent(stream::uid);
                if (parallelism != null) {
                    stream.setParallelism(parallelism);
                }
                return stream;
            }

            @Override
            public boolean isBounded() {
                return stop.isBounded();
            }
        };
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        Map<String, DataType> out = new LinkedHashMap<>();
        for (ReadableMetadata m : ReadableMetadata.values()) {
            out.put(m.key, m.type);
        }
        return out;
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        List<ReadableMetadata> chosen = new ArrayList<>();
        metadataKeys.forEach(k -> chosen.add(ReadableMetadata.of(k)));
        this.metadata = chosen;
        this.producedType = producedDataType;
    }

    @Override
    public void applyWatermark(WatermarkStrategy<RowData> strategy) {
        this.watermarkStrategy = strategy;
    }

    @Override
    public DynamicTableSource copy() {
        ZkmqDynamicSource copy =
                new ZkmqDynamicSource(
                        physicalType,
                        keyFormat,
                        valueFormat,
                        keyProjection,
                        valueProjection,
                        sourceOptions,
                        start,
                        stop,
                        parallelism,
                        tableName);
        copy.producedType = producedType;
        copy.metadata = metadata;
        copy.watermarkStrategy = watermarkStrategy;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "ZKMQ table source";
    }
}
