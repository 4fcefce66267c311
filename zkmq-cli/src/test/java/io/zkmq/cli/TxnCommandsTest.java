package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.error.TransactionAbortedException;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.Record;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.StagedBatch;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code zkmq txn list/abort} against transactions really staged through {@link TransactionStore}:
 * in queue orders (2 partitions) and audit (1 partition), prefix etl has committed etl-0-4 (orders
 * p0) and open etl-0-5 (orders p0, audit p0) and etl-1-5 (orders p1, two batches); prefix other has
 * open other-0-7 (orders p1).
 */
class TxnCommandsTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    private Cli cli;
    private ZkmqClient client;
    private TransactionStore store;
    private TransactionMarker committed;
    private TransactionMarker ordersOpen;
    private TransactionMarker ordersOpen2;
    private TransactionMarker auditOpen;
    private TransactionMarker other;

    @BeforeEach
    void stageTransactions() {
        String namespace = "t" + UUID.randomUUID().toString().substring(0, 8);
        cli = Cli.against(ZK.connectString(), namespace);
        assertThat(cli.run("queue", "create", "orders", "--partitions", "2").exitCode()).isZero();
        assertThat(cli.run("queue", "create", "audit", "--partitions", "1").exitCode()).isZero();
        client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(ZK.connectString()).namespace(namespace).build());
        store = client.transactions();

        committed = stage("orders", 0, new TransactionId("etl", 0, 4), "c1,c2");
        assertThat(store.commit("orders", 0, "etl-0-4", committed.attempt()))
                .isEqualTo(TransactionStore.CommitOutcome.COMMITTED);
        ordersOpen = stage("orders", 0, new TransactionId("etl", 0, 5), "a,b,c");
        ordersOpen2 = stage("orders", 1, new TransactionId("etl", 1, 5), "d", "e");
        auditOpen = stage("audit", 0, new TransactionId("etl", 0, 5), "f");
        other = stage("orders", 1, new TransactionId("other", 0, 7), "g");
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    /** Stages one batch per argument, each holding the comma-separated values. */
    private TransactionMarker stage(
            String queue, int partition, TransactionId id, String... batches) {
        List<SealedBatch> sealed = new ArrayList<>();
        for (String batch : batches) {
            BatchBuilder builder = new BatchBuilder(1024, 1024);
            for (String value : batch.split(",")) {
                assertThat(
                                builder.tryAppend(
                                        new Record(
                                                null,
                                                value.getBytes(StandardCharsets.UTF_8),
                                                List.of(),
                                                System.currentTimeMillis())))
                        .isTrue();
            }
            sealed.add(builder.seal());
        }
        return store.stage(queue, partition, id, UUID.randomUUID(), 0, sealed);
    }

    private static String row(String queue, int partition, TransactionMarker m, String state) {
        return "(?m)^"
                + queue
                + " +"
                + partition
                + " +"
                + m.id().name()
                + " +"
                + state
                + " +"
                + m.records()
                + " +"
                + m.bytes()
                + " +\\d+s +"
                + m.staged().size()
                + "$";
    }

    /** Every marker of both queues, as "queue/partition/name/STATE". */
    private List<String> markers() {
        List<String> all = new ArrayList<>();
        for (String queue : List.of("audit", "orders")) {
            store.list(queue)
                    .forEach(
                            l ->
                                    all.add(
                                            l.queue()
                                                    + "/"
                                                    + l.partition()
                                                    + "/"
                                                    + l.marker().id().name()
                                                    + "/"
                                                    + l.marker().state()));
        }
        return all;
    }

    private boolean exists(StagedBatch s) {
        try {
            return client.curator().checkExists().forPath(s.path()) != null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void listShowsThePendingTransactionsOfAPrefixAcrossQueues() {
        Cli.Result r = cli.run("txn", "list", "--prefix", "etl");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).as(r.toString()).hasSize(4);
        assertThat(r.outLines().get(0))
                .matches("QUEUE +PARTITION +TRANSACTION +STATE +RECORDS +BYTES +AGE +BATCHES");
        assertThat(r.outLines().get(1)).containsPattern(row("audit", 0, auditOpen, "open"));
        assertThat(r.outLines().get(2)).containsPattern(row("orders", 0, ordersOpen, "open"));
        assertThat(r.outLines().get(3)).containsPattern(row("orders", 1, ordersOpen2, "open"));
        assertThat(ordersOpen2.staged()).hasSize(2);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void listFiltersByStateQueueAndPrefix() {
        Cli.Result all = cli.run("txn", "list", "--prefix", "etl", "--state", "all");
        assertThat(all.outLines()).as(all.toString()).hasSize(5);
        assertThat(all.out())
                .containsPattern(row("orders", 0, committed, "committed"))
                .doesNotContain("other-0-7");

        Cli.Result committedOnly =
                cli.run("txn", "list", "--prefix", "etl", "--state", "committed");
        assertThat(committedOnly.outLines()).as(committedOnly.toString()).hasSize(2);
        assertThat(committedOnly.outLines().get(1))
                .containsPattern(row("orders", 0, committed, "committed"));

        Cli.Result queue = cli.run("txn", "list", "--queue", "orders");
        assertThat(queue.outLines()).as(queue.toString()).hasSize(4);
        assertThat(queue.out())
                .containsPattern(row("orders", 0, ordersOpen, "open"))
                .containsPattern(row("orders", 1, ordersOpen2, "open"))
                .containsPattern(row("orders", 1, other, "open"))
                .doesNotContain("audit", "etl-0-4");

        Cli.Result both = cli.run("txn", "list", "--queue", "orders", "--prefix", "other");
        assertThat(both.outLines()).as(both.toString()).hasSize(2);
        assertThat(both.outLines().get(1)).containsPattern(row("orders", 1, other, "open"));
    }

    @Test
    void anEmptyListSaysSoInOneLine() {
        Cli.Result unknown = cli.run("txn", "list", "--prefix", "nosuch");
        assertThat(unknown.exitCode()).isZero();
        assertThat(unknown.outLines())
                .containsExactly(
                        "No pending transactions of prefix 'nosuch' (no sink with this prefix has staged a transaction in any queue)");

        Cli.Result none = cli.run("txn", "list", "--queue", "audit", "--state", "committed");
        assertThat(none.exitCode()).isZero();
        assertThat(none.outLines()).containsExactly("No committed transactions in queue 'audit'");
    }

    @Test
    void abortRemovesOnlyThePendingTransactionsOfThePrefix() {
        Cli.Result r = cli.run("txn", "abort", "--prefix", "etl");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).as(r.toString()).hasSize(4);
        assertThat(r.outLines().get(0))
                .matches(
                        "Aborted etl-0-5 in queue audit partition 0 \\(open, 1 records, "
                                + auditOpen.bytes()
                                + " bytes, created \\d+s ago\\)");
        assertThat(r.outLines().get(1))
                .startsWith("Aborted etl-0-5 in queue orders partition 0 (open, 3 records, ");
        assertThat(r.outLines().get(2))
                .startsWith("Aborted etl-1-5 in queue orders partition 1 (open, 2 records, ");
        assertThat(r.outLines().get(3)).isEqualTo("Aborted 3 transaction(s) of prefix etl");

        // Only the committed transaction and the other prefix's remain; the aborted ones' batches
        // are deleted.
        assertThat(markers())
                .containsExactly("orders/0/etl-0-4/COMMITTED", "orders/1/other-0-7/OPEN");
        for (TransactionMarker aborted : List.of(ordersOpen, ordersOpen2, auditOpen)) {
            assertThat(aborted.staged()).noneMatch(this::exists);
        }
        assertThat(committed.staged()).allMatch(this::exists);
        assertThat(other.staged()).allMatch(this::exists);
        assertThatThrownBy(() -> store.commit("orders", 0, "etl-0-5", ordersOpen.attempt()))
                .isInstanceOf(TransactionAbortedException.class);

        // The committed records are still read, and only they: the queue holds 2 records.
        Cli.Result consumed = cli.run("consume", "orders", "--max", "2", "--timeout", "10s");
        assertThat(consumed.outLines()).as(consumed.toString()).containsExactly("c1", "c2");
        assertThat(cli.run("queue", "describe", "orders").out())
                .containsPattern("(?m)^total +- +- +2 +\\d+$");

        // The other prefix's transaction is intact: it still commits.
        assertThat(store.commit("orders", 1, "other-0-7", other.attempt()))
                .isEqualTo(TransactionStore.CommitOutcome.COMMITTED);
        assertThat(cli.run("queue", "describe", "orders").out())
                .containsPattern("(?m)^total +- +- +3 +\\d+$");

        Cli.Result again = cli.run("txn", "abort", "--prefix", "etl");
        assertThat(again.exitCode()).isZero();
        assertThat(again.outLines())
                .containsExactly("No pending transactions of prefix 'etl' to abort");
        assertThat(cli.run("txn", "list", "--prefix", "etl").outLines())
                .containsExactly("No pending transactions of prefix 'etl'");
    }

    @Test
    void dryRunChangesNothing() {
        List<String> before = markers();

        Cli.Result r = cli.run("txn", "abort", "--prefix", "etl", "--dry-run");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).as(r.toString()).hasSize(4);
        assertThat(r.outLines().subList(0, 3))
                .allMatch(line -> line.startsWith("Would abort etl-"));
        assertThat(r.outLines().get(3))
                .isEqualTo("Would abort 3 transaction(s) of prefix etl (dry run: nothing changed)");
        assertThat(markers())
                .isEqualTo(before)
                .contains("orders/0/etl-0-5/OPEN", "orders/1/etl-1-5/OPEN", "audit/0/etl-0-5/OPEN");
        for (TransactionMarker m : List.of(ordersOpen, ordersOpen2, auditOpen)) {
            assertThat(m.staged()).allMatch(this::exists);
        }
    }

    @Test
    void abortSelectsByQueueTransactionAndAge() throws Exception {
        // Make etl-1-5 two hours old.
        String path = ZkmqPaths.transaction("orders", 1, "etl-1-5");
        client.curator()
                .setData()
                .forPath(
                        path,
                        new TransactionMarker(
                                        ordersOpen2.id(),
                                        ordersOpen2.attempt(),
                                        TransactionMarker.State.OPEN,
                                        System.currentTimeMillis() - Duration.ofHours(2).toMillis(),
                                        -1,
                                        ordersOpen2.staged())
                                .toJson());
        assertThat(cli.run("txn", "list", "--queue", "orders", "--prefix", "etl").out())
                .containsPattern("(?m)^orders +1 +etl-1-5 +open +2 +\\d+ +2h0m +2$");

        Cli.Result old = cli.run("txn", "abort", "--prefix", "etl", "--older-than", "1h");
        assertThat(old.outLines()).as(old.toString()).hasSize(2);
        assertThat(old.outLines().get(0))
                .startsWith("Aborted etl-1-5 in queue orders partition 1 (")
                .endsWith("created 2h0m ago)");
        assertThat(markers())
                .doesNotContain("orders/1/etl-1-5/OPEN")
                .contains("orders/0/etl-0-5/OPEN", "audit/0/etl-0-5/OPEN");

        Cli.Result none = cli.run("txn", "abort", "--prefix", "etl", "--older-than", "1h");
        assertThat(none.outLines())
                .containsExactly("No pending transactions of prefix 'etl' older than 1h to abort");

        Cli.Result one =
                cli.run(
                        "txn",
                        "abort",
                        "--prefix",
                        "etl",
                        "--queue",
                        "orders",
                        "--transaction",
                        "etl-0-5");
        assertThat(one.outLines()).as(one.toString()).hasSize(2);
        assertThat(one.outLines().get(0))
                .startsWith("Aborted etl-0-5 in queue orders partition 0 (");
        assertThat(markers())
                .containsExactly(
                        "audit/0/etl-0-5/OPEN",
                        "orders/0/etl-0-4/COMMITTED",
                        "orders/1/other-0-7/OPEN");

        Cli.Result committedOne =
                cli.run("txn", "abort", "--prefix", "etl", "--transaction", "etl-0-4");
        assertThat(committedOne.exitCode()).isZero();
        assertThat(committedOne.outLines())
                .containsExactly(
                        "No pending transactions of prefix 'etl' named etl-0-4 to abort"
                                + " (etl-0-4 is committed in 1 partition(s); committed transactions are never aborted)");
        assertThat(markers()).contains("orders/0/etl-0-4/COMMITTED");
    }

    @Test
    void usageErrorsExitWithTwoAndChangeNothing() {
        List<String> before = markers();

        Cli.Result noScope = cli.run("txn", "list");
        assertThat(noScope.exitCode()).isEqualTo(2);
        assertThat(noScope.out()).isEmpty();
        assertThat(noScope.errLines())
                .containsExactly(
                        "zkmq: error: Which transactions? Give --queue QUEUE, --prefix PREFIX"
                                + " (a sink's transactional id prefix) or both (see 'zkmq txn list --help')");

        Cli.Result noPrefix = cli.run("txn", "abort", "--queue", "orders");
        assertThat(noPrefix.exitCode()).isEqualTo(2);
        assertThat(noPrefix.errLines())
                .singleElement()
                .asString()
                .startsWith("zkmq: error: Missing required option: '--prefix=PREFIX'");

        String[][] invalid = {
            {"txn", "list", "--prefix", "etl", "--state", "done"},
            {"txn", "list", "--prefix", "a/b"},
            {"txn", "abort", "--prefix", "etl", "--transaction", "other-0-7"},
            {"txn", "abort", "--prefix", "etl", "--transaction", "etl"},
            {"txn", "abort", "--prefix", "etl", "--older-than", "old"}
        };
        for (String[] command : invalid) {
            Cli.Result r = cli.run(command);

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.errLines())
                    .as(r.toString())
                    .singleElement()
                    .asString()
                    .startsWith("zkmq: error: ");
        }
        assertThat(markers()).isEqualTo(before);
    }

    @Test
    void abortHelpWarnsAboutCompletedCheckpoints() {
        Cli.Result help = cli.run("txn", "abort", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " "))
                .contains(
                        "WARNING: aborting a transaction whose checkpoint already completed loses its records",
                        "--dry-run");
    }
}
