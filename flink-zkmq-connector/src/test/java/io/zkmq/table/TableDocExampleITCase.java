package io.zkmq.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first SQL example of docs/table.md, run as written: its statements are read from the page,
 * {@code orders} is written by a two-writer exactly-once INSERT, and the TUMBLE totals must equal
 * the ones computed from the input. A queue whose partitions mix writers loses rows as late data
 * here.
 */
class TableDocExampleITCase {
    private static final Path DOC = Path.of("..", "docs", "table.md");
    private static final String MARKER =
            "<!-- TableDocExampleITCase runs the statements of the next block";
    private static final long T0 = 1_699_999_980_000L; // a minute boundary
    private static final int PER_PARTITION = 6_000; // 200 ms apart: 20 minutes of event time
    private static final int CUSTOMERS = 5;

    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /**
     * The statements of the documented example, with this test's ZooKeeper in place of
     * localhost:2181.
     */
    private static List<String> documentedStatements() throws Exception {
        String doc = Files.readString(DOC);
        int marker = doc.indexOf(MARKER);
        assertThat(marker).as("the marker of the tested example in " + DOC).isNotNegative();
        int start = doc.indexOf("```sql\n", marker) + "```sql\n".length();
        String block = doc.substring(start, doc.indexOf("```", start));
        List<String> statements = new ArrayList<>();
        for (String s : block.split(";\\s*\n")) {
            if (!s.isBlank()) {
                statements.add(s.replace("'localhost:2181'", "'" + ZK.connectString() + "'"));
            }
        }
        assertThat(statements).hasSize(3);
        assertThat(statements.get(0)).startsWith("CREATE TABLE orders");
        assertThat(statements.get(1)).startsWith("CREATE TABLE totals");
        assertThat(statements.get(2)).startsWith("INSERT INTO totals");
        return statements;
    }

    @Test
    @Timeout(180)
    void theDocumentedTumbleExampleTotalsEveryWindowExactlyOverATwoWriterExactlyOnceInsert()
            throws Exception {
        List<String> example = documentedStatements();
        ZkmqClient client = ZK.client("zkmq"); // the default namespace, as in the example
        client.admin().createQueue("order-events", QueueConfig.builder().partitions(2).build());
        client.admin().createQueue("orders", QueueConfig.builder().partitions(2).build());
        client.admin().createQueue("totals", QueueConfig.builder().partitions(2).build());
        Map<String, BigDecimal> expected = writeInput(client);

        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        sql.getConfig().set("execution.checkpointing.interval", "200ms");
        sql.getConfig().set("parallelism.default", "2");
        sql.executeSql(example.get(0));
        sql.executeSql(example.get(1));

        // The query runs first and reads the orders as the writers' commits make them visible.
        TableResult totals = sql.executeSql(example.get(2));
        try {
            // The writing side: each instance of the input reads one partition, in event-time
            // order, and
            // hands its rows to its own sink subtask (two writers, as the table's
            // 'sink.parallelism' says).
            sql.executeSql(
                    "CREATE TABLE order_events (order_id STRING, customer STRING, amount DECIMAL(10, 2),"
                            + " ts_millis BIGINT) WITH ('connector' = 'zkmq', 'zookeeper' = '"
                            + ZK.connectString()
                            + "',"
                            + " 'queue' = 'order-events', 'group' = 'input', 'format' = 'json', 'scan.startup.mode' = 'earliest',"
                            + " 'scan.bounded.mode' = 'latest', 'scan.parallelism' = '2')");
            String write =
                    "INSERT INTO orders (order_id, customer, amount, ts)"
                            + " SELECT order_id, customer, amount, TO_TIMESTAMP_LTZ(ts_millis, 3) FROM order_events";
            String plan = sql.explainSql(write, ExplainDetail.JSON_EXECUTION_PLAN);
            assertThat(plan.split("\"ship_strategy\"", -1).length)
                    .as("only forward connections from input to writers: " + plan)
                    .isEqualTo(plan.split("\"ship_strategy\" : \"FORWARD\"", -1).length);
            sql.executeSql(write).await();

            Deadline.await(
                    expected.size() + " window totals in queue 'totals'",
                    Duration.ofSeconds(90),
                    () -> records(client, "totals") >= expected.size());
        } finally {
            totals.getJobClient().orElseThrow().cancel().get(60, TimeUnit.SECONDS);
        }

        sql.executeSql(
                "CREATE TABLE totals_read (window_start TIMESTAMP_LTZ(3), customer STRING, total DECIMAL(10, 2))"
                        + " WITH ('connector' = 'zkmq', 'zookeeper' = '"
                        + ZK.connectString()
                        + "', 'queue' = 'totals',"
                        + " 'group' = 'check', 'format' = 'json', 'scan.startup.mode' = 'earliest', 'scan.bounded.mode' = 'latest')");
        Map<String, BigDecimal> actual = new TreeMap<>();
        List<String> duplicates = new ArrayList<>();
        try (CloseableIterator<Row> rows =
                sql.executeSql("SELECT window_start, customer, total FROM totals_read").collect()) {
            rows.forEachRemaining(
                    r -> {
                        String window =
                                ((Instant) r.getField(0)).toEpochMilli() + " " + r.getField(1);
                        if (actual.put(window, (BigDecimal) r.getField(2)) != null) {
                            duplicates.add(window);
                        }
                    });
        }
        assertThat(duplicates).as("windows emitted twice").isEmpty();
        assertThat(actual)
                .as("window totals (window start ms, customer) -> total")
                .isEqualTo(expected);
    }

    /**
     * Two input partitions of orders 200 ms apart, each in event-time order, over 20 minutes; then
     * far later orders move the watermark past the last window so that it fires (their own window
     * never does).
     */
    private static Map<String, BigDecimal> writeInput(ZkmqClient client) {
        Map<String, BigDecimal> expected = new TreeMap<>();
        try (ZkmqProducer producer = client.producer("order-events")) {
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < PER_PARTITION; i++) {
                    long ts = T0 + i * 200L + p * 50L;
                    String customer = "c" + (i + p) % CUSTOMERS;
                    BigDecimal amount = BigDecimal.valueOf((i * 37L + p * 11L) % 10_000, 2);
                    expected.merge((ts - ts % 60_000) + " " + customer, amount, BigDecimal::add);
                    producer.send(p, order("p" + p + "-" + i, customer, amount, ts));
                }
                for (int c = 0;
                        c < CUSTOMERS;
                        c++) { // one per customer: whatever the routing, every written partition
                    // gets one
                    producer.send(
                            p,
                            order(
                                    "p" + p + "-last-" + c,
                                    "c" + c,
                                    BigDecimal.ONE,
                                    T0 + 3_600_000L));
                }
            }
            producer.flush();
        }
        return expected;
    }

    private static Record order(String id, String customer, BigDecimal amount, long ts) {
        String json =
                "{\"order_id\":\""
                        + id
                        + "\",\"customer\":\""
                        + customer
                        + "\",\"amount\":"
                        + amount.toPlainString()
                        + ",\"ts_millis\":"
                        + ts
                        + "}";
        return new Record(null, json.getBytes(StandardCharsets.UTF_8), List.of(), ts);
    }

    private static long records(ZkmqClient client, String queue) {
        return IntStream.range(0, 2)
                .mapToLong(p -> client.admin().readHead(queue, p).nextOffset())
                .sum();
    }
}
