package io.zkmq.table;

import io.zkmq.queue.QueuePartition;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.Format;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.types.RowKind;

/**
 * Planning-time checks that a 'zkmq' table can work as declared: it is append-only, so its formats
 * must be insert-only and it has no primary key; offsets given per partition must name queues it
 * reads.
 */
final class TableChecks {
    private TableChecks() {}

    /**
     * A changelog format (debezium-json, canal-json, ...) would pass planning and then fail on
     * every record at run time, as the source cannot emit its update and delete rows: refuse it
     * here.
     */
    static void requireInsertOnly(
            DynamicTableFactory.Context context,
            Format format,
            ConfigOption<String> option,
            String formatName) {
        if (format != null && !format.getChangelogMode().containsOnly(RowKind.INSERT)) {
            throw new ValidationException(
                    "The zkmq table '"
                            + context.getObjectIdentifier().asSummaryString()
                            + "' cannot use '"
                            + formatName
                            + "' as '"
                            + option.key()
                            + "': it is a changelog format (it has "
                            + describe(format.getChangelogMode())
                            + " rows), and zkmq tables are append-only. Use an"
                            + " insert-only format, e.g. 'json', 'csv', 'raw' or 'avro'");
        }
    }

    /**
     * As Flink's Kafka connector: an append-only table cannot guarantee a primary key's semantic.
     */
    static void requireNoPrimaryKey(DynamicTableFactory.Context context, String valueFormatName) {
        if (context.getPrimaryKeyIndexes().length > 0) {
            throw new ValidationException(
                    "The zkmq table '"
                            + context.getObjectIdentifier().asSummaryString()
                            + "' with '"
                            + valueFormatName
                            + "' format doesn't support defining PRIMARY KEY constraint on the"
                            + " table, because it can't guarantee the semantic of primary key: zkmq tables are append-only"
                            + " (there is no upsert-zkmq). Remove the PRIMARY KEY; to route records by columns use 'key.fields'");
        }
    }

    /** Offsets for a queue the table does not read would be ignored silently. */
    static void requireReadQueues(
            Map<QueuePartition, Long> offsets, ConfigOption<String> option, List<String> queues) {
        for (QueuePartition p : offsets.keySet()) {
            if (!queues.contains(p.queue())) {
                throw new ValidationException(
                        "Option '"
                                + option.key()
                                + "' names queue '"
                                + p.queue()
                                + "', which this table does not read; it reads "
                                + queues);
            }
        }
    }

    private static String describe(ChangelogMode mode) {
        return String.join(
                ", ", mode.getContainedKinds().stream().sorted().map(RowKind::name).toList());
    }
}
