package io.zkmq.table;

import io.zkmq.queue.Header;
import io.zkmq.queue.QueueRecord;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;

/**
 * Metadata columns a ZKMQ table can read: {@code `partition` INT METADATA VIRTUAL} and the like.
 */
enum ReadableMetadata {
    QUEUE("queue", DataTypes.STRING().notNull(), r -> StringData.fromString(r.queue())),
    PARTITION("partition", DataTypes.INT().notNull(), QueueRecord::partition),
    OFFSET("offset", DataTypes.BIGINT().notNull(), QueueRecord::offset),
    TIMESTAMP(
            "timestamp",
            DataTypes.TIMESTAMP_LTZ(3).notNull(),
            r -> TimestampData.fromEpochMillis(r.timestamp())),
    HEADERS(
            "headers",
            DataTypes.MAP(DataTypes.STRING().nullable(), DataTypes.BYTES().nullable()).notNull(),
            r -> {
                Map<StringData, byte[]> map = new HashMap<>();
                for (Header h : r.headers()) {
                    map.put(StringData.fromString(h.key()), h.value());
                }
                return new GenericMapData(map);
            }),
    KEY("key", DataTypes.BYTES().nullable(), QueueRecord::key);

    final String key;
    final DataType type;
    final Extractor extractor;

    ReadableMetadata(String key, DataType type, Extractor extractor) {
        this.key = key;
        this.type = type;
        this.extractor = extractor;
    }

    interface Extractor extends Function<QueueRecord, Object>, Serializable {}

    static ReadableMetadata of(String key) {
        for (ReadableMetadata m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown metadata key '" + key + "'");
    }
}
