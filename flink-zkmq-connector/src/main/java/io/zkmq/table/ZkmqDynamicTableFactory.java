package io.zkmq.table;

import io.zkmq.connector.ZkmqConnectionOptions;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import io.zkmq.sink.ZkmqSinkOptions;
import io.zkmq.source.StoppingPosition;
import io.zkmq.source.ZkmqSourceOptions;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.format.Format;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;
import org.apache.flink.table.types.DataType;

/**
 * {@code 'connector' = 'zkmq'}: queues as append-only tables. Options are the DataStream source's
 * and sink's own ({@link ZkmqSourceOptions}, {@link ZkmqSinkOptions}) plus the table-only ones of
 * {@link ZkmqTableOptions}; errors name the option and what it accepts.
 */
@PublicEvolving
public final class ZkmqDynamicTableFactory
        implements DynamicTableSourceFactory, DynamicTableSinkFactory {
    public static final String IDENTIFIER = "zkmq";

    private static final List<ConfigOption<?>> CONNECTION =
            List.of(
                    ZkmqConnectionOptions.NAMESPACE,
                    ZkmqConnectionOptions.SESSION_TIMEOUT,
                    ZkmqConnectionOptions.CONNECTION_TIMEOUT,
                    ZkmqConnectionOptions.AUTH,
                    ZkmqConnectionOptions.QUEUE_AWAIT_TIMEOUT);
    private static final List<ConfigOption<?>> SOURCE =
            List.of(
                    ZkmqSourceOptions.GROUP,
                    ZkmqSourceOptions.OWNER_ID,
                    ZkmqSourceOptions.LOCK_TIMEOUT,
                    ZkmqSourceOptions.COMMIT_OFFSETS,
                    ZkmqSourceOptions.IDLE_TIMEOUT,
                    ZkmqSourceOptions.PREFETCH_BATCHES,
                    ZkmqSourceOptions.SKIP_DESERIALIZATION_ERRORS,
                    ZkmqSourceOptions.RESET_OUT_OF_RANGE);
    private static final List<ConfigOption<?>> SINK =
            List.of(
                    ZkmqSinkOptions.DELIVERY_GUARANTEE,
                    ZkmqSinkOptions.TRANSACTIONAL_ID_PREFIX,
                    ZkmqSinkOptions.LINGER,
                    ZkmqSinkOptions.BUFFER_BYTES,
                    ZkmqSinkOptions.DELIVERY_TIMEOUT,
                    ZkmqSinkOptions.SKIP_FAILED_RECORDS,
                    ZkmqSinkOptions.TRANSACTION_MAX_BUFFERED_BYTES,
                    ZkmqSinkOptions.TRANSACTION_ABANDONED_TIMEOUT,
                    ZkmqSinkOptions.COMMIT_RETRIES);

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(ZkmqConnectionOptions.ZOOKEEPER, ZkmqTableOptions.QUEUE);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> out = new LinkedHashSet<>();
        out.addAll(CONNECTION);
        out.addAll(SOURCE);
        out.addAll(SINK);
        out.addAll(
                List.of(
                        FactoryUtil.FORMAT,
                        ZkmqTableOptions.KEY_FORMAT,
                        ZkmqTableOptions.VALUE_FORMAT,
                        ZkmqTableOptions.KEY_FIELDS,
                        ZkmqTableOptions.VALUE_FIELDS_INCLUDE,
                        ZkmqSourceOptions.STARTING_POSITION,
                        ZkmqTableOptions.SCAN_STARTUP_SPECIFIC_OFFSETS,
                        ZkmqTableOptions.SCAN_STARTUP_TIMESTAMP_MILLIS,
                        ZkmqSourceOptions.STOPPING_POSITION,
                        ZkmqTableOptions.SCAN_BOUNDED_SPECIFIC_OFFSETS,
                        ZkmqTableOptions.SCAN_BOUNDED_TIMESTAMP_MILLIS,
                        FactoryUtil.SOURCE_PARALLELISM,
                        ZkmqTableOptions.SINK_PARTITIONER,
                        FactoryUtil.SINK_PARALLELISM,
                        // Flink's standard watermark options: the planner applies them through
                        // watermark push-down.
                        FactoryUtil.WATERMARK_EMIT_STRATEGY,
                        FactoryUtil.WATERMARK_ALIGNMENT_GROUP,
                        FactoryUtil.WATERMARK_ALIGNMENT_MAX_DRIFT,
                        FactoryUtil.WATERMARK_ALIGNMENT_UPDATE_INTERVAL,
                        FactoryUtil.SOURCE_IDLE_TIMEOUT));
        return out;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        DecodingFormat<DeserializationSchema<RowData>> key =
                helper.discoverOptionalDecodingFormat(
                                DeserializationFormatFactory.class, ZkmqTableOptions.KEY_FORMAT)
                        .orElse(null);
        DecodingFormat<DeserializationSchema<RowData>> value =
                helper.discoverDecodingFormat(
                        DeserializationFormatFactory.class, valueFormatOption(helper.getOptions()));
        helper.validate();
        ReadableConfig options = helper.getOptions();
        checkAppendOnly(context, options, key, value);
        DataType physical = context.getPhysicalRowDataType();
        Projections p = projections(options, physical, key != null);
        List<String> queues = options.get(ZkmqTableOptions.QUEUE);
        if (options.getOptional(ZkmqSourceOptions.GROUP).isEmpty()) {
            throw new ValidationException(
                    "Reading table "
                            + context.getObjectIdentifier()
                            + " needs option '"
                            + ZkmqSourceOptions.GROUP.key()
                            + "': the consumer group holding its committed offsets and locks");
        }
        Configuration conf = copy(options, CONNECTION, SOURCE);
        conf.set(ZkmqConnectionOptions.ZOOKEEPER, options.get(ZkmqConnectionOptions.ZOOKEEPER));
        conf.set(ZkmqSourceOptions.QUEUES, String.join(",", queues));
        return new ZkmqDynamicSource(
                physical,
                key,
                value,
                p.key,
                p.value,
                conf,
                startingPosition(options, queues),
                stoppingPosition(options, queues),
                options.getOptional(FactoryUtil.SOURCE_PARALLELISM).orElse(null),
                context.getObjectIdentifier().asSummaryString());
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        EncodingFormat<SerializationSchema<RowData>> key =
                helper.discoverOptionalEncodingFormat(
                                SerializationFormatFactory.class, ZkmqTableOptions.KEY_FORMAT)
                        .orElse(null);
        EncodingFormat<SerializationSchema<RowData>> value =
                helper.discoverEncodingFormat(
                        SerializationFormatFactory.class, valueFormatOption(helper.getOptions()));
        helper.validate();
        ReadableConfig options = helper.getOptions();
        checkAppendOnly(context, options, key, value);
        DataType physical = context.getPhysicalRowDataType();
        Projections p = projections(options, physical, key != null);
        List<String> queues = options.get(ZkmqTableOptions.QUEUE);
        if (queues.size() != 1) {
            throw new ValidationException(
                    "Writing to table "
                            + context.getObjectIdentifier()
                            + " needs exactly one queue"
                            + " in option '"
                            + ZkmqTableOptions.QUEUE.key()
                            + "', got "
                            + queues);
        }
        if (options.get(ZkmqSinkOptions.DELIVERY_GUARANTEE) == DeliveryGuarantee.EXACTLY_ONCE
                && options.getOptional(ZkmqSinkOptions.TRANSACTIONAL_ID_PREFIX).isEmpty()) {
            throw new ValidationException(
                    "Option '"
                            + ZkmqSinkOptions.DELIVERY_GUARANTEE.key()
                            + "' = 'exactly-once'"
                            + " needs '"
                            + ZkmqSinkOptions.TRANSACTIONAL_ID_PREFIX.key()
                            + "': it names the table's transactions"
                            + " so that a restarted job can abort the ones it left unfinished; unique per table, stable across"
                            + " restarts");
        }
        Configuration conf = copy(options, CONNECTION, SINK);
        conf.set(ZkmqConnectionOptions.ZOOKEEPER, options.get(ZkmqConnectionOptions.ZOOKEEPER));
        conf.set(ZkmqSinkOptions.QUEUE, queues.get(0));
        try {
            return new ZkmqDynamicSink(
                    physical,
                    key,
                    value,
                    p.key,
                    p.value,
                    conf,
                    options.get(ZkmqTableOptions.SINK_PARTITIONER),
                    options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null));
        } catch (InvalidConfigException e) {
            throw new ValidationException(e.getMessage(), e);
        }
    }

    private static void checkAppendOnly(
            Context context, ReadableConfig options, Format key, Format value) {
        ConfigOption<String> valueOption = valueFormatOption(options);
        TableChecks.requireInsertOnly(
                context,
                key,
                ZkmqTableOptions.KEY_FORMAT,
                options.getOptional(ZkmqTableOptions.KEY_FORMAT).orElse(null));
        TableChecks.requireInsertOnly(context, value, valueOption, options.get(valueOption));
        TableChecks.requireNoPrimaryKey(context, options.get(valueOption));
    }

    /** 'format' or 'value.format', exactly one of them. */
    private static ConfigOption<String> valueFormatOption(ReadableConfig options) {
        boolean format = options.getOptional(FactoryUtil.FORMAT).isPresent();
        boolean valueFormat = options.getOptional(ZkmqTableOptions.VALUE_FORMAT).isPresent();
        if (format == valueFormat) {
            throw new ValidationException(
                    format
                            ? "Options 'format' and 'value.format' are synonyms; set only one of them"
                            : "A 'zkmq' table needs a value format: set 'format' (or 'value.format'), e.g. 'json', 'csv', 'raw'");
        }
        return format ? FactoryUtil.FORMAT : ZkmqTableOptions.VALUE_FORMAT;
    }

    private record Projections(int[] key, int[] value) {}

    private static Projections projections(
            ReadableConfig options, DataType physical, boolean keyFormat) {
        List<String> names = DataType.getFieldNames(physical);
        List<String> keyFields = options.get(ZkmqTableOptions.KEY_FIELDS);
        if (keyFormat && keyFields.isEmpty()) {
            throw new ValidationException(
                    "Option 'key.format' needs 'key.fields': the columns that make up the key");
        }
        if (!keyFormat && !keyFields.isEmpty()) {
            throw new ValidationException(
                    "Option 'key.fields' needs 'key.format' to encode those columns, e.g. 'raw' or 'json'");
        }
        int[] key = new int[keyFields.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = names.indexOf(keyFields.get(i));
            if (key[i] < 0) {
                throw new ValidationException(
                        "Option 'key.fields' names column '"
                                + keyFields.get(i)
                                + "', which is not a physical column of the table; columns: "
                                + names);
            }
        }
        boolean exceptKey =
                options.get(ZkmqTableOptions.VALUE_FIELDS_INCLUDE)
                        == ZkmqTableOptions.ValueFieldsInclude.EXCEPT_KEY;
        if (exceptKey && key.length == 0) {
            throw new ValidationException(
                    "Option 'value.fields-include' = 'EXCEPT_KEY' needs 'key.fields'");
        }
        Set<Integer> keySet = new java.util.HashSet<>();
        for (int k : key) {
            keySet.add(k);
        }
        int[] value =
                IntStream.range(0, names.size())
                        .filter(i -> !exceptKey || !keySet.contains(i))
                        .toArray();
        return new Projections(key, value);
    }

    @SafeVarargs
    private static Configuration copy(ReadableConfig options, List<ConfigOption<?>>... groups) {
        Configuration conf = new Configuration();
        for (List<ConfigOption<?>> group : groups) {
            for (ConfigOption<?> option : group) {
                copyOne(options, conf, option);
            }
        }
        return conf;
    }

    private static <T> void copyOne(ReadableConfig from, Configuration to, ConfigOption<T> option) {
        from.getOptional(option).ifPresent(v -> to.set(option, v));
    }

    private static StartingPosition startingPosition(ReadableConfig options, List<String> queues) {
        String mode = options.get(ZkmqSourceOptions.STARTING_POSITION);
        switch (mode) {
            case "offsets":
            case "specific-offsets":
                return StartingPosition.offsets(
                        offsets(options, ZkmqTableOptions.SCAN_STARTUP_SPECIFIC_OFFSETS, queues),
                        StartingPosition.earliest());
            case "timestamp":
                return StartingPosition.timestamp(
                        required(options, ZkmqTableOptions.SCAN_STARTUP_TIMESTAMP_MILLIS, mode));
            default:
                try {
                    return StartingPosition.parse(mode);
                } catch (InvalidConfigException e) {
                    throw new ValidationException(
                            "Option 'scan.startup.mode' must be one of 'earliest', 'latest',"
                                    + " 'committed', 'committed-or-latest', 'specific-offsets' (or 'offsets'), 'timestamp'; got '"
                                    + mode
                                    + "'");
                }
        }
    }

    private static StoppingPosition stoppingPosition(ReadableConfig options, List<String> queues) {
        String mode = options.get(ZkmqSourceOptions.STOPPING_POSITION);
        switch (mode) {
            case "offsets":
            case "specific-offsets":
                return StoppingPosition.offsets(
                        offsets(options, ZkmqTableOptions.SCAN_BOUNDED_SPECIFIC_OFFSETS, queues));
            case "timestamp":
                return StoppingPosition.timestamp(
                        required(options, ZkmqTableOptions.SCAN_BOUNDED_TIMESTAMP_MILLIS, mode));
            default:
                try {
                    return StoppingPosition.parse(mode);
                } catch (InvalidConfigException e) {
                    throw new ValidationException(
                            "Option 'scan.bounded.mode' must be one of 'none', 'latest',"
                                    + " 'specific-offsets' (or 'offsets'), 'timestamp'; got '"
                                    + mode
                                    + "'");
                }
        }
    }

    private static long required(ReadableConfig options, ConfigOption<Long> option, String mode) {
        return options.getOptional(option)
                .orElseThrow(
                        () ->
                                new ValidationException(
                                        "Mode '" + mode + "' needs option '" + option.key() + "'"));
    }

    /**
     * {@code [queue:<q>,]partition:<p>,offset:<o>;...}; the queue may be left out when the table
     * reads one.
     */
    static Map<QueuePartition, Long> offsets(
            ReadableConfig options, ConfigOption<String> option, List<String> queues) {
        String text =
                options.getOptional(option)
                        .orElseThrow(
                                () ->
                                        new ValidationException(
                                                "Mode 'specific-offsets' needs option '"
                                                        + option.key()
                                                        + "', e.g. 'partition:0,offset:42;partition:1,offset:7'"));
        Map<QueuePartition, Long> out = new HashMap<>();
        for (String entry : text.split(";")) {
            Map<String, String> fields = new HashMap<>();
            for (String kv : entry.trim().split(",")) {
                String[] pair = kv.split(":", 2);
                if (pair.length != 2) {
                    throw badOffsets(option, text);
                }
                fields.put(pair[0].trim(), pair[1].trim());
            }
            String queue = fields.getOrDefault("queue", queues.size() == 1 ? queues.get(0) : null);
            if (queue == null
                    || !fields.containsKey("partition")
                    || !fields.containsKey("offset")) {
                throw badOffsets(option, text);
            }
            try {
                out.put(
                        new QueuePartition(queue, Integer.parseInt(fields.get("partition"))),
                        Long.parseLong(fields.get("offset")));
            } catch (IllegalArgumentException e) {
                throw badOffsets(option, text);
            }
        }
        TableChecks.requireReadQueues(out, option, queues);
        return out;
    }

    private static ValidationException badOffsets(ConfigOption<String> option, String text) {
        return new ValidationException(
                "Option '"
                        + option.key()
                        + "' must look like 'partition:0,offset:42;partition:1,offset:7'"
                        + " (with 'queue:<name>,' in front of each entry when the table reads several queues), got '"
                        + text
                        + "'");
    }
}
