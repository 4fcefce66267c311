package io.zkmq.examples;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.embedded.EmbeddedZooKeeper;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A SQL pipeline between two queues: the purchase events (CSV text) are a table, an exactly-once
 * {@code INSERT INTO ... SELECT} copies the large purchases to a JSON table, and a query reads them
 * back. Starts an embedded ZooKeeper unless {@code --zookeeper} is given; checks the count.
 */
@Command(
        name = "SqlPipeline",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Runs a SQL pipeline between two ZKMQ queues and checks its result.")
public final class SqlPipeline {
    @Mixin JobParameters.Connection connection = new JobParameters.Connection();

    @Option(
            names = "--records",
            paramLabel = "N",
            defaultValue = "20000",
            description = "Events (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(
            names = "--min-amount",
            paramLabel = "N",
            defaultValue = "900",
            description = "Purchases above this amount are copied (default: ${DEFAULT-VALUE}).")
    int minAmount;

    public static void main(String[] args) throws Exception {
        SqlPipeline pipeline = JobParameters.parseOrExit(new SqlPipeline(), args);
        System.exit(pipeline.run() ? 0 : 1);
    }

    boolean run() throws Exception {
        EmbeddedZooKeeper embedded =
                connection.zookeeper == null ? EmbeddedZooKeeper.startTemporary() : null;
        String zk = embedded != null ? embedded.connectString() : connection.zookeeper;
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (ZkmqClient client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(zk).namespace(connection.namespace).build())) {
            client.admin()
                    .createQueue("purchases-" + run, QueueConfig.builder().partitions(4).build());
            client.admin().createQueue("large-" + run, QueueConfig.builder().partitions(2).build());
            long expected = 0;
            try (ZkmqProducer producer = client.producer("purchases-" + run)) {
                for (long i = 0; i < records; i++) {
                    Event e = Event.generate(i, 100);
                    expected += e.amount() > minAmount ? 1 : 0;
                    producer.send(
                            new Record(
                                    e.customer().getBytes(StandardCharsets.UTF_8),
                                    e.text().getBytes(StandardCharsets.UTF_8),
                                    List.of(),
                                    System.currentTimeMillis()));
                }
                producer.flush();
            }
            System.out.printf("Wrote %,d purchase events to purchases-%s%n", records, run);

            TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
            sql.getConfig().set("execution.checkpointing.interval", "500ms");
            String common =
                    "'connector' = 'zkmq', 'zookeeper' = '"
                            + zk
                            + "', 'zookeeper.namespace' = '"
                            + connection.namespace
                            + "'";
            String[] statements = {
                "CREATE TABLE purchases (customer STRING, seq BIGINT, amount INT, `partition` INT METADATA VIRTUAL)"
                        + " WITH ("
                        + common
                        + ", 'queue' = 'purchases-"
                        + run
                        + "', 'group' = 'sql-"
                        + run
                        + "',"
                        + " 'format' = 'csv', 'scan.startup.mode' = 'earliest', 'scan.bounded.mode' = 'latest')",
                "CREATE TABLE large_purchases (customer STRING, seq BIGINT, amount INT) WITH ("
                        + common
                        + ", 'queue' = 'large-"
                        + run
                        + "', 'group' = 'sql-read-"
                        + run
                        + "', 'format' = 'json',"
                        + " 'key.format' = 'raw', 'key.fields' = 'customer', 'scan.startup.mode' = 'earliest',"
                        + " 'scan.bounded.mode' = 'latest', 'sink.delivery-guarantee' = 'exactly-once',"
                        + " 'sink.transactional-id-prefix' = 'sql-large-"
                        + run
                        + "')",
                "INSERT INTO large_purchases SELECT customer, seq, amount FROM purchases WHERE amount > "
                        + minAmount
            };
            for (String s : statements) {
                System.out.println("Flink SQL> " + s);
            }
            sql.executeSql(statements[0]);
            sql.executeSql(statements[1]);
            sql.executeSql(statements[2]).await();

            String query = "SELECT COUNT(*), MIN(amount), MAX(amount) FROM large_purchases";
            System.out.println("Flink SQL> " + query);
            Row last = null;
            try (CloseableIterator<Row> rows = sql.executeSql(query).collect()) {
                while (rows.hasNext()) {
                    last = rows.next(); // a streaming aggregate emits updates; the last one is
                    // final
                }
            }
            System.out.println("  " + last);
            long count = last == null ? -1 : (Long) last.getField(0);
            if (count != expected) {
                System.out.println(
                        "FAILED expected "
                                + expected
                                + " large purchases, the table holds "
                                + count);
                return false;
            }
            System.out.println(
                    "VERIFIED "
                            + count
                            + " of "
                            + records
                            + " purchases above "
                            + minAmount
                            + " copied by SQL, exactly once");
            return true;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
