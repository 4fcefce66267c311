package io.zkmq.table;

import io.zkmq.queue.Header;
import io.zkmq.queue.Record;
import io.zkmq.sink.ZkmqRecordSerializationSchema;
import io.zkmq.sink.ZkmqSinkRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;

/**
 * A table row as a queue record: key and value encoded by their formats from their columns, headers
 * and timestamp from the writable metadata columns (if declared), else the row's Flink timestamp.
 */
final class RowDataSerializer implements ZkmqRecordSerializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final SerializationSchema<RowData> keyFormat; // null: records without key
    private final SerializationSchema<RowData> valueFormat;
    private final RowData.FieldGetter[] keyGetters;
    private final RowData.FieldGetter[] valueGetters;
    private final int headersPosition; // -1: not declared
    private final int timestampPosition; // -1: not declared
    private final ZkmqTableOptions.SinkPartitioner partitioner;
    private transient int subtask;
    private transient int next;

    RowDataSerializer(
            SerializationSchema<RowData> keyFormat,
            SerializationSchema<RowData> valueFormat,
            int[] keyProjection,
            int[] valueProjection,
            List<LogicalType> physicalTypes,
            int headersPosition,
            int timestampPosition,
            ZkmqTableOptions.SinkPartitioner partitioner) {
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
        this.keyGetters = getters(keyProjection, physicalTypes);
        this.valueGetters = getters(valueProjection, physicalTypes);
        this.headersPosition = headersPosition;
        this.timestampPosition = timestampPosition;
        this.partitioner = partitioner;
    }

    private static RowData.FieldGetter[] getters(int[] projection, List<LogicalType> types) {
        RowData.FieldGetter[] out = new RowData.FieldGetter[projection.length];
        for (int i = 0; i < projection.length; i++) {
            out[i] = RowData.createFieldGetter(types.get(projection[i]), projection[i]);
        }
        return out;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, SinkContext sinkContext)
            throws Exception {
        if (keyFormat != null) {
            keyFormat.open(context);
        }
        valueFormat.open(context);
        subtask = sinkContext.subtask();
        next = subtask;
    }

    @Override
    public ZkmqSinkRecord serialize(
            RowData row, String queue, SinkContext context, Long timestamp) {
        if (row.getRowKind() != RowKind.INSERT && row.getRowKind() != RowKind.UPDATE_AFTER) {
            throw new UnsupportedOperationException(
                    "A 'zkmq' table is append-only and cannot take a "
                            + row.getRowKind()
                            + " row; write only inserts to it");
        }
        byte[] key = keyFormat == null ? null : keyFormat.serialize(project(row, keyGetters));
        byte[] value = valueFormat.serialize(project(row, valueGetters));
        long ts = timestamp != null ? timestamp : System.currentTimeMillis();
        if (timestampPosition >= 0 && !row.isNullAt(timestampPosition)) {
            ts = row.getTimestamp(timestampPosition, 3).getMillisecond();
        }
        Record record = new Record(key, value, headers(row), ts);
        switch (partitioner) {
            case ROUND_ROBIN:
                return new ZkmqSinkRecord(
                        record, Math.floorMod(next++, context.partitionCount(queue)));
            case FIXED:
                return new ZkmqSinkRecord(record, subtask % context.partitionCount(queue));
            default:
                return ZkmqSinkRecord.routed(record);
        }
    }

    private static RowData project(RowData row, RowData.FieldGetter[] getters) {
        GenericRowData out = new GenericRowData(getters.length);
        for (int i = 0; i < getters.length; i++) {
            out.setField(i, getters[i].getFieldOrNull(row));
        }
        return out;
    }

    private List<Header> headers(RowData row) {
        if (headersPosition < 0 || row.isNullAt(headersPosition)) {
            return List.of();
        }
        MapData map = row.getMap(headersPosition);
        ArrayData keys = map.keyArray();
        ArrayData values = map.valueArray();
        List<Header> out = new ArrayList<>(map.size());
        for (int i = 0; i < map.size(); i++) {
            out.add(
                    new Header(
                            keys.getString(i).toString(),
                            values.isNullAt(i) ? null : values.getBinary(i)));
        }
        return out;
    }
}
