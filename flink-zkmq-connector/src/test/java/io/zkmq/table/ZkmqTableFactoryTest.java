package io.zkmq.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.jupiter.api.Test;

/**
 * Validation of 'zkmq' tables at planning time: required, unknown and conflicting options are
 * refused with messages that name the option and what it accepts. No ZooKeeper is contacted to
 * plan.
 */
class ZkmqTableFactoryTest {
    private final TableEnvironment sql =
            TableEnvironment.create(EnvironmentSettings.inStreamingMode());

    private void table(String options) {
        sql.executeSql(
                "CREATE TABLE t (id INT, name STRING) WITH ('connector' = 'zkmq'" + options + ")");
    }

    private String read() {
        return sql.explainSql("SELECT * FROM t");
    }

    private String write() {
        return sql.explainSql("INSERT INTO t VALUES (1, 'a')");
    }

    @Test
    void flinksStandardWatermarkOptionsAreAccepted() {
        sql.executeSql(
                "CREATE TABLE t (id INT, ts TIMESTAMP_LTZ(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'zkmq',"
                        + " 'zookeeper' = 'zk:2181', 'queue' = 'q', 'group' = 'g', 'format' = 'json',"
                        + " 'scan.watermark.idle-timeout' = '5 s', 'scan.watermark.emit.strategy' = 'on-periodic',"
                        + " 'scan.watermark.alignment.group' = 'g1', 'scan.watermark.alignment.max-drift' = '1 min')");
        assertThat(read()).contains("watermark");
    }

    @Test
    void aCompleteTableCanBeReadAndWritten() {
        table(", 'zookeeper' = 'zk:2181', 'queue' = 'q', 'group' = 'g', 'format' = 'json'");
        assertThat(read())
                .contains("TableSourceScan(table=[[default_catalog, default_database, t]]");
        assertThat(write()).contains("Sink(table=[default_catalog.default_database.t]");
    }

    @Test
    void requiredOptionsAreNamed() {
        table(", 'queue' = 'q', 'format' = 'json', 'group' = 'g'");
        assertThatThrownBy(this::read).hasStackTraceContaining("zookeeper");

        sql.executeSql("DROP TABLE t");
        table(", 'zookeeper' = 'zk:2181', 'queue' = 'q', 'format' = 'json'");
        assertThatThrownBy(this::read).hasStackTraceContaining("needs option 'group'");
        assertThat(write())
                .as("writing needs no group")
                .contains("Sink(table=[default_catalog.default_database.t]");
    }

    @Test
    void unknownOptionsAreRefused() {
        table(
                ", 'zookeeper' = 'zk:2181', 'queue' = 'q', 'group' = 'g', 'format' = 'json', 'scan.startup.mod' = 'earliest'");
        assertThatThrownBy(this::read)
                .hasStackTraceContaining("Unsupported options")
                .hasStackTraceContaining("scan.startup.mod");
    }

    @Test
    void conflictingOrIncompleteOptionsSayWhatToDo() {
        String base = ", 'zookeeper' = 'zk:2181', 'queue' = 'q', 'group' = 'g'";
        table(base + ", 'format' = 'json', 'value.format' = 'json'");
        assertThatThrownBy(this::read)
                .hasStackTraceContaining("'format' and 'value.format' are synonyms");

        sql.executeSql("DROP TABLE t");
        table(base);
        assertThatThrownBy(this::read).hasStackTraceContaining("needs a value format");

        sql.executeSql("DROP TABLE t");
        table(base + ", 'format' = 'json', 'key.fields' = 'name'");
        assertThatThrownBy(this::read).hasStackTraceContaining("'key.fields' needs 'key.format'");

        sql.executeSql("DROP TABLE t");
        table(base + ", 'format' = 'json', 'key.format' = 'raw', 'key.fields' = 'nope'");
        assertThatThrownBy(this::read)
                .hasStackTraceContaining("column 'nope'")
                .hasStackTraceContaining("[id, name]");

        sql.executeSql("DROP TABLE t");
        table(base + ", 'format' = 'json', 'sink.delivery-guarantee' = 'exactly-once'");
        assertThatThrownBy(this::write).hasStackTraceContaining("'sink.transactional-id-prefix'");

        sql.executeSql("DROP TABLE t");
        table(", 'zookeeper' = 'zk:2181', 'queue' = 'a;b', 'format' = 'json'");
        assertThatThrownBy(this::write).hasStackTraceContaining("exactly one queue");
    }

    @Test
    void startAndStopModesAreValidatedWithTheirCompanions() {
        String base = ", 'zookeeper' = 'zk:2181', 'queue' = 'q', 'group' = 'g', 'format' = 'json'";
        table(base + ", 'scan.startup.mode' = 'sometime'");
        assertThatThrownBy(this::read)
                .hasStackTraceContaining("'scan.startup.mode' must be one of");

        sql.executeSql("DROP TABLE t");
        table(base + ", 'scan.startup.mode' = 'timestamp'");
        assertThatThrownBy(this::read)
                .hasStackTraceContaining("needs option 'scan.startup.timestamp-millis'");

        sql.executeSql("DROP TABLE t");
        table(
                base
                        + ", 'scan.bounded.mode' = 'specific-offsets', 'scan.bounded.specific-offsets' = 'p0=1'");
        assertThatThrownBy(this::read)
                .hasStackTraceContaining("must look like 'partition:0,offset:42");

        sql.executeSql("DROP TABLE t");
        table(
                base
                        + ", 'scan.startup.mode' = 'timestamp', 'scan.startup.timestamp-millis' = '1000',"
                        + " 'scan.bounded.mode' = 'latest'");
        assertThat(read())
                .contains("TableSourceScan(table=[[default_catalog, default_database, t]]");
    }

    @Test
    void changelogFormatsAreRefusedForValueAndKeyWhenReadingAndWriting() {
        String base = ", 'zookeeper' = 'zk:2181', 'queue' = 'q', 'group' = 'g'";
        for (String format : new String[] {"debezium-json", "canal-json", "maxwell-json"}) {
            table(base + ", 'format' = '" + format + "'");
            String said = "cannot use '" + format + "' as 'format': it is a changelog format";
            assertThatThrownBy(this::read)
                    .hasStackTraceContaining(said)
                    .hasStackTraceContaining("default_catalog.default_database.t")
                    .hasStackTraceContaining("append-only")
                    .hasStackTraceContaining("insert-only format, e.g. 'json'");
            assertThatThrownBy(this::write).hasStackTraceContaining(said);
            sql.executeSql("DROP TABLE t");
        }
        table(base + ", 'value.format' = 'debezium-json'");
        assertThatThrownBy(this::read)
                .hasStackTraceContaining("cannot use 'debezium-json' as 'value.format'");
        sql.executeSql("DROP TABLE t");

        table(base + ", 'format' = 'json', 'key.format' = 'debezium-json', 'key.fields' = 'id'");
        assertThatThrownBy(this::read)
                .hasStackTraceContaining("cannot use 'debezium-json' as 'key.format'");
        assertThatThrownBy(this::write)
                .hasStackTraceContaining("cannot use 'debezium-json' as 'key.format'");
    }

    @Test
    void aPrimaryKeyIsRefusedAsTheKafkaConnectorDoes() {
        sql.executeSql(
                "CREATE TABLE t (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'zkmq',"
                        + " 'zookeeper' = 'zk:2181', 'queue' = 'q', 'group' = 'g', 'format' = 'json')");
        String said =
                "The zkmq table 'default_catalog.default_database.t' with 'json' format doesn't support defining"
                        + " PRIMARY KEY constraint on the table, because it can't guarantee the semantic of primary key";
        assertThatThrownBy(this::read).hasStackTraceContaining(said);
        assertThatThrownBy(this::write).hasStackTraceContaining(said);
    }

    @Test
    void offsetsForAQueueTheTableDoesNotReadAreRefused() {
        table(
                ", 'zookeeper' = 'zk:2181', 'queue' = 'a;b', 'group' = 'g', 'format' = 'json',"
                        + " 'scan.startup.mode' = 'specific-offsets', 'scan.startup.specific-offsets' = 'queue:c,partition:0,offset:1'");
        assertThatThrownBy(this::read)
                .hasStackTraceContaining(
                        "Option 'scan.startup.specific-offsets' names queue 'c', which this table does not read; it reads [a, b]");

        sql.executeSql("DROP TABLE t");
        table(
                ", 'zookeeper' = 'zk:2181', 'queue' = 'a', 'group' = 'g', 'format' = 'json',"
                        + " 'scan.bounded.mode' = 'specific-offsets', 'scan.bounded.specific-offsets' = 'queue:b,partition:0,offset:1'");
        assertThatThrownBy(this::read)
                .hasStackTraceContaining(
                        "Option 'scan.bounded.specific-offsets' names queue 'b', which this table does not read; it reads [a]");
    }
}
