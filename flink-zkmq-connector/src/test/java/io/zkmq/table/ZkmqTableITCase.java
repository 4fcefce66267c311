package io.zkmq.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.testing.QueueContents;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 'connector' = 'zkmq' through SQL on a MiniCluster against a real ZooKeeper. */
class ZkmqTableITCase {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private String ns;
    private ZkmqClient client;
    private TableEnvironment sql;

    @BeforeEach
    void setUp() {
        ns = ZooKeeperExtension.freshNamespace();
        client = ZK.client(ns);
        sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        sql.getConfig().set("execution.checkpointing.interval", "200ms");
        sql.getConfig().set("parallelism.default", "2");
    }

    private String with(String queue, String extra) {
        return " WITH ('connector' = 'zkmq', 'zookeeper' = '"
                + ZK.connectString()
                + "', 'zookeeper.namespace' = '"
                + ns
                + "', 'queue' = '"
                + queue
                + "'"
                + (extra.isEmpty() ? "" : ", " + extra)
                + ")";
    }

    private List<Row> collect(String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = sql.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void jsonRowsWrittenExactlyOnceReadBackWithMetadataAndKeyedByCustomer() throws Exception {
        client.admin().createQueue("orders", QueueConfig.builder().partitions(3).build());
        sql.executeSql(
                "CREATE TABLE orders (order_id STRING, customer STRING, amount DECIMAL(10, 2), ts TIMESTAMP_LTZ(3),"
                        + " `partition` INT METADATA VIRTUAL, `offset` BIGINT METADATA VIRTUAL, `key` BYTES METADATA VIRTUAL,"
                        + " WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)"
                        + with(
                                "orders",
                                "'group' = 'sql-billing', 'format' = 'json', 'key.format' = 'raw',"
                                        + " 'key.fields' = 'customer', 'scan.startup.mode' = 'earliest', 'scan.bounded.mode' = 'latest',"
                                        + " 'sink.delivery-guarantee' = 'exactly-once', 'sink.transactional-id-prefix' = 'sql-orders'"));

        sql.executeSql(
                        "INSERT INTO orders (order_id, customer, amount, ts) VALUES"
                                + " ('o1', 'alice', 12.50, TO_TIMESTAMP_LTZ(1000, 3)), ('o2', 'bob', 3.00, TO_TIMESTAMP_LTZ(2000, 3)),"
                                + " ('o3', 'alice', 7.25, TO_TIMESTAMP_LTZ(3000, 3)), ('o4', 'carol', 1.00, TO_TIMESTAMP_LTZ(4000, 3))")
                .await();

        List<Row> rows =
                collect(
                        "SELECT order_id, customer, amount, `partition`, `offset`, CAST(`key` AS STRING) FROM orders");
        assertThat(rows)
                .extracting(r -> r.getField(0))
                .containsExactlyInAnyOrder("o1", "o2", "o3", "o4");
        assertThat(rows).allSatisfy(r -> assertThat(r.getField(5)).isEqualTo(r.getField(1)));
        Map<Object, Object> partitionOfCustomer = new HashMap<>();
        for (Row r : rows) {
            Object previous = partitionOfCustomer.put(r.getField(1), r.getField(3));
            assertThat(previous == null ? r.getField(3) : previous)
                    .as("one partition per customer")
                    .isEqualTo(r.getField(3));
        }
        assertThat(
                        rows.stream()
                                .filter(r -> r.getField(0).equals("o3"))
                                .findFirst()
                                .orElseThrow()
                                .getField(2)
                                .toString())
                .isEqualTo("7.25");
        // The value is the whole row as JSON, readable by any client.
        List<QueueRecord> records = QueueContents.readAll(client, "orders", 3, 4);
        assertThat(records)
                .extracting(QueueRecord::valueAsString)
                .anySatisfy(
                        v ->
                                assertThat(v)
                                        .contains("\"order_id\":\"o1\"")
                                        .contains("\"customer\":\"alice\""));
    }

    @Test
    void csvValuesHeadersAndTimestampsAreWrittenAndRead() throws Exception {
        client.admin().createQueue("events", QueueConfig.builder().partitions(1).build());
        sql.executeSql(
                "CREATE TABLE events (id INT, name STRING, headers MAP<STRING, BYTES> METADATA,"
                        + " event_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp')"
                        + with(
                                "events",
                                "'group' = 'g', 'value.format' = 'csv', 'scan.startup.mode' = 'earliest',"
                                        + " 'scan.bounded.mode' = 'latest'"));

        sql.executeSql(
                        "INSERT INTO events VALUES (1, 'one', MAP['source', CAST('sql' AS BYTES)], TO_TIMESTAMP_LTZ(5000, 3)),"
                                + " (2, 'two', MAP['source', CAST('sql' AS BYTES)], TO_TIMESTAMP_LTZ(6000, 3))")
                .await();

        List<QueueRecord> records = QueueContents.readAll(client, "events", 1, 2);
        // The two rows may reach the sink through different subtasks: their order in the partition
        // is not fixed.
        assertThat(records)
                .extracting(r -> r.valueAsString() + " @" + r.timestamp())
                .containsExactlyInAnyOrder("1,one @5000", "2,two @6000");
        assertThat(records.get(0).headers())
                .singleElement()
                .satisfies(
                        h ->
                                assertThat(new String(h.value(), StandardCharsets.UTF_8))
                                        .isEqualTo("sql"));
        List<Row> rows =
                collect(
                        "SELECT id, name, CAST(headers['source'] AS STRING), event_time FROM events");
        assertThat(rows)
                .extracting(r -> r.getField(0) + " " + r.getField(1) + " " + r.getField(2))
                .containsExactlyInAnyOrder("1 one sql", "2 two sql");
    }

    @Test
    void aBoundedScanStopsAtTheGivenOffsetsAndStartsAtOthers() throws Exception {
        client.admin().createQueue("numbers", QueueConfig.builder().partitions(1).build());
        // One sink subtask, fed by the one VALUES task: the rows keep their order, so offset i
        // holds i.
        sql.executeSql(
                "CREATE TABLE numbers (n INT)"
                        + with(
                                "numbers",
                                "'group' = 'g', 'format' = 'json', 'sink.parallelism' = '1'"));
        sql.executeSql(
                        "INSERT INTO numbers VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)")
                .await();
        sql.executeSql(
                "CREATE TABLE middle (n INT)"
                        + with(
                                "numbers",
                                "'group' = 'g2', 'format' = 'json',"
                                        + " 'scan.startup.mode' = 'specific-offsets', 'scan.startup.specific-offsets' = 'partition:0,offset:3',"
                                        + " 'scan.bounded.mode' = 'offsets', 'scan.bounded.specific-offsets' = 'partition:0,offset:7'"));

        assertThat(collect("SELECT n FROM middle"))
                .extracting(r -> r.getField(0))
                .containsExactly(3, 4, 5, 6);
    }

    /**
     * Rejects every tenth number: a user function that fails in the operator chained after the
     * source.
     */
    public static final class RejectEveryTenth extends ScalarFunction {
        public Integer eval(Integer n) {
            if (n % 10 == 9) {
                throw new IllegalStateException("UDF rejects " + n);
            }
            return n;
        }
    }

    @ParameterizedTest(name = "skip-errors {0}")
    @ValueSource(booleans = {true, false})
    void aFailingUdfFailsTheQueryWithItsOwnExceptionWhateverSkipErrorsSays(boolean skipErrors)
            throws Exception {
        client.admin().createQueue("numbers", QueueConfig.builder().partitions(1).build());
        try (ZkmqProducer producer = client.producer("numbers")) {
            for (int i = 0; i < 100; i++) {
                producer.send(Record.of(null, "{\"n\":" + i + "}"));
            }
            producer.flush();
        }
        sql.getConfig().set("restart-strategy.type", "none");
        sql.createTemporarySystemFunction("reject_every_tenth", RejectEveryTenth.class);
        sql.executeSql(
                "CREATE TABLE numbers (n INT)"
                        + with(
                                "numbers",
                                "'group' = 'g', 'format' = 'json',"
                                        + " 'scan.startup.mode' = 'earliest', 'scan.bounded.mode' = 'latest',"
                                        + " 'deserialization.skip-errors' = '"
                                        + skipErrors
                                        + "'"));

        assertThatThrownBy(() -> collect("SELECT reject_every_tenth(n) FROM numbers"))
                .as("the UDF's failure must fail the query, not be skipped as a bad record")
                .satisfies(
                        failure -> {
                            assertThat(
                                            ExceptionUtils.findThrowableWithMessage(
                                                    failure, "UDF rejects 9"))
                                    .get()
                                    .isExactlyInstanceOf(IllegalStateException.class);
                            assertThat(
                                            ExceptionUtils.findThrowableWithMessage(
                                                    failure, "Cannot deserialize"))
                                    .as("not reported as a deserialization error")
                                    .isEmpty();
                        });
    }

    @Test
    @Timeout(120)
    void startingOffsetsForAPartitionTheQueueDoesNotHaveFailTheJobNamingQueuePartitionAndCount() {
        client.admin().createQueue("few", QueueConfig.builder().partitions(2).build());
        sql.executeSql(
                "CREATE TABLE few (n INT)"
                        + with(
                                "few",
                                "'group' = 'g', 'format' = 'json', 'scan.bounded.mode' = 'latest',"
                                        + " 'scan.startup.mode' = 'specific-offsets', 'scan.startup.specific-offsets' = 'partition:0,offset:0;partition:5,offset:3'"));
        assertThatThrownBy(() -> collect("SELECT n FROM few"))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowableWithMessage(
                                                        e,
                                                        "The source's starting offsets (StartingPosition.offsets, table option 'scan.startup.specific-offsets') name"
                                                                + " partition 5 of queue 'few', but the queue has 2 partitions (0 to 1)"))
                                        .isPresent());
    }

    @Test
    @Timeout(120)
    void stoppingOffsetsForAPartitionTheQueueDoesNotHaveFailTheJobNamingQueuePartitionAndCount() {
        client.admin().createQueue("few", QueueConfig.builder().partitions(2).build());
        sql.executeSql(
                "CREATE TABLE few (n INT)"
                        + with(
                                "few",
                                "'group' = 'g', 'format' = 'json', 'scan.startup.mode' = 'earliest',"
                                        + " 'scan.bounded.mode' = 'specific-offsets', 'scan.bounded.specific-offsets' = 'partition:2,offset:1'"));
        assertThatThrownBy(() -> collect("SELECT n FROM few"))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowableWithMessage(
                                                        e,
                                                        "The source's stopping offsets (StoppingPosition.offsets, table option 'scan.bounded.specific-offsets') name"
                                                                + " partition 2 of queue 'few', but the queue has 2 partitions (0 to 1)"))
                                        .isPresent());
    }

    /**
     * Fails the first job attempt once, after a few rows (static: the MiniCluster runs in this
     * JVM).
     */
    public static final class FailOnce extends ScalarFunction {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicInteger SEEN = new AtomicInteger();

        public Integer eval(Integer n) {
            if (SEEN.incrementAndGet() > 300 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("Injected failure");
            }
            return n;
        }
    }

    @Test
    void anExactlyOnceInsertSurvivesAnInjectedFailureWithoutDuplicates() throws Exception {
        client.admin().createQueue("src", QueueConfig.builder().partitions(2).build());
        client.admin().createQueue("dst", QueueConfig.builder().partitions(2).build());
        sql.executeSql(
                "CREATE TABLE src (n INT)" + with("src", "'group' = 'g', 'format' = 'json'"));
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 1_000; i++) {
            values.append(i == 0 ? "" : ", ").append("(").append(i).append(")");
        }
        sql.executeSql("INSERT INTO src VALUES " + values).await();

        sql.getConfig().set("restart-strategy.type", "fixed-delay");
        sql.getConfig().set("restart-strategy.fixed-delay.attempts", "5");
        sql.getConfig().set("restart-strategy.fixed-delay.delay", "200ms");
        sql.createTemporarySystemFunction("fail_once", FailOnce.class);
        sql.executeSql(
                "CREATE TABLE src_once (n INT)"
                        + with(
                                "src",
                                "'group' = 'copier', 'format' = 'json',"
                                        + " 'scan.startup.mode' = 'earliest', 'scan.bounded.mode' = 'latest'"));
        sql.executeSql(
                "CREATE TABLE dst (n INT)"
                        + with(
                                "dst",
                                "'format' = 'json', 'sink.delivery-guarantee' = 'exactly-once',"
                                        + " 'sink.transactional-id-prefix' = 'sql-copy'"));
        TableResult insert = sql.executeSql("INSERT INTO dst SELECT fail_once(n) FROM src_once");
        insert.await();

        assertThat(FailOnce.FAILED).as("the failure was injected").isTrue();
        assertThat(QueueContents.readAll(client, "dst", 2, 1_000))
                .extracting(QueueRecord::valueAsString)
                .hasSize(1_000)
                .doesNotHaveDuplicates();
    }
}
