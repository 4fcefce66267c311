package io.zkmq.table;

import java.util.List;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options that only tables have. Everything else ('zookeeper', 'group', 'scan.startup.mode',
 * 'sink.delivery-guarantee', ...) is the DataStream source's and sink's own typed options, used as
 * they are.
 */
@PublicEvolving
public final class ZkmqTableOptions {
    private ZkmqTableOptions() {}

    public static final ConfigOption<List<String>> QUEUE =
            ConfigOptions.key("queue")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Queue name, or a semicolon-separated list of queues to read. A table that is written to"
                                    + " must name exactly one queue.");

    public static final ConfigOption<String> KEY_FORMAT =
            ConfigOptions.key("key.format")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Format of the record key, e.g. 'raw', 'json', 'csv'. Needs 'key.fields'.");

    public static final ConfigOption<String> VALUE_FORMAT =
            ConfigOptions.key("value.format")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Format of the record value; 'format' is a synonym.");

    public static final ConfigOption<List<String>> KEY_FIELDS =
            ConfigOptions.key("key.fields")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "Semicolon-separated physical columns that make up the key. Records with equal keys go to"
                                    + " the same partition.");

    public enum ValueFieldsInclude {
        ALL,
        EXCEPT_KEY
    }

    public static final ConfigOption<ValueFieldsInclude> VALUE_FIELDS_INCLUDE =
            ConfigOptions.key("value.fields-include")
                    .enumType(ValueFieldsInclude.class)
                    .defaultValue(ValueFieldsInclude.ALL)
                    .withDescription(
                            "Whether the value holds all physical columns ('ALL') or all but the key columns"
                                    + " ('EXCEPT_KEY').");

    public static final ConfigOption<String> SCAN_STARTUP_SPECIFIC_OFFSETS =
            ConfigOptions.key("scan.startup.specific-offsets")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With scan.startup.mode 'specific-offsets': 'partition:0,offset:42;partition:1,offset:300'"
                                    + " (add 'queue:<name>,' when reading several queues); other partitions start at earliest.");

    public static final ConfigOption<Long> SCAN_STARTUP_TIMESTAMP_MILLIS =
            ConfigOptions.key("scan.startup.timestamp-millis")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "With scan.startup.mode 'timestamp': start at the first record at or after this time.");

    public static final ConfigOption<String> SCAN_BOUNDED_SPECIFIC_OFFSETS =
            ConfigOptions.key("scan.bounded.specific-offsets")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With scan.bounded.mode 'specific-offsets': where each partition stops (exclusive).");

    public static final ConfigOption<Long> SCAN_BOUNDED_TIMESTAMP_MILLIS =
            ConfigOptions.key("scan.bounded.timestamp-millis")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "With scan.bounded.mode 'timestamp': stop before the first record at or after this time.");

    public enum SinkPartitioner {
        DEFAULT,
        ROUND_ROBIN,
        FIXED
    }

    public static final ConfigOption<SinkPartitioner> SINK_PARTITIONER =
            ConfigOptions.key("sink.partitioner")
                    .enumType(SinkPartitioner.class)
                    .defaultValue(SinkPartitioner.DEFAULT)
                    .withDescription(
                            "'DEFAULT': by key (jump hash, as the client producer), round-robin without a key;"
                                    + " 'ROUND_ROBIN': round-robin over the partitions whatever the key; 'FIXED': sink subtask i"
                                    + " writes only partition i % partitions, whatever the key, so that with as many partitions as"
                                    + " sink subtasks every partition has one writer and keeps that writer's order.");
}
