package io.zkmq.table;

import io.zkmq.queue.QueueRecord;
import io.zkmq.source.ZkmqRecordDeserializationSchema;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;

/**
 * A queue record as a table row: the physical columns decoded from key and value by their formats
 * (each format decodes only its own columns), followed by the requested metadata columns.
 */
final class RowDataDeserializer implements ZkmqRecordDeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final DeserializationSchema<RowData> keyFormat; // null: no key columns
    private final DeserializationSchema<RowData> valueFormat;
    private final int[] keyProjection; // key format's field i -> physical column keyProjection[i]
    private final int[] valueProjection;
    private final int physicalArity;
    private final List<ReadableMetadata> metadata;
    private final TypeInformation<RowData> producedType;

    RowDataDeserializer(
            DeserializationSchema<RowData> keyFormat,
            DeserializationSchema<RowData> valueFormat,
            int[] keyProjection,
            int[] valueProjection,
            int physicalArity,
            List<ReadableMetadata> metadata,
            TypeInformation<RowData> producedType) {
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
        this.keyProjection = keyProjection;
        this.valueProjection = valueProjection;
        this.physicalArity = physicalArity;
        this.metadata = List.copyOf(metadata);
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        if (keyFormat != null) {
            keyFormat.open(context);
        }
        valueFormat.open(context);
    }

    @Override
    public void deserialize(QueueRecord record, Collector<RowData> out) throws IOException {
        if (record.value() == null) {
            return; // a tombstone carries no row for an append-only table
        }
        RowData value = valueFormat.deserialize(record.value());
        if (value == null) {
            return; // the format skipped it (e.g. json.ignore-parse-errors)
        }
        GenericRowData row = new GenericRowData(physicalArity + metadata.size());
        copy((GenericRowData) value, valueProjection, row);
        if (keyFormat != null && record.key() != null) {
            RowData key = keyFormat.deserialize(record.key());
            if (key != null) {
                copy((GenericRowData) key, keyProjection, row);
            }
        }
        for (int i = 0; i < metadata.size(); i++) {
            row.setField(physicalArity + i, metadata.get(i).extractor.apply(record));
        }
        out.collect(row);
    }

    private static void copy(GenericRowData from, int[] projection, GenericRowData to) {
        for (int i = 0; i < projection.length; i++) {
            to.setField(projection[i], from.getField(i));
        }
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
