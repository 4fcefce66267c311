package io.zkmq.table;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/** Metadata columns a ZKMQ table can write: the record's headers and timestamp. */
enum WritableMetadata {
    HEADERS(
            "headers",
            DataTypes.MAP(DataTypes.STRING().nullable(), DataTypes.BYTES().nullable()).nullable()),
    TIMESTAMP("timestamp", DataTypes.TIMESTAMP_LTZ(3).nullable());

    final String key;
    final DataType type;

    WritableMetadata(String key, DataType type) {
        this.key = key;
        this.type = type;
    }

    static WritableMetadata of(String key) {
        for (WritableMetadata m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown metadata key '" + key + "'");
    }
}
