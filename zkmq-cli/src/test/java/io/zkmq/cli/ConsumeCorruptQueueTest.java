package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.Record;
import io.zkmq.queue.ReferenceBatch;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.StagedBatch;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code zkmq consume} of a corrupt queue stops with the corrupt-queue error instead of printing
 * records twice.
 */
class ConsumeCorruptQueueTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    /** Queue orders whose partition 0 holds t0, t1, t2 and then a corrupt batch (seq 3). */
    private static StagedBatch corruptQueue(Cli cli, String namespace) throws Exception {
        assertThat(cli.run("queue", "create", "orders", "--partitions", "1").exitCode()).isZero();
        try (ZkmqClient client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(ZK.connectString())
                                .namespace(namespace)
                                .build())) {
            TransactionMarker marker =
                    commitOneRecordBatches(
                            client.transactions(), "etl-0-1", "t0", "t1", "t2"); // seqs 0-2
            StagedBatch twice = marker.staged().get(1);
            // A faulty committer references staged batch 1 again (seq 3), refs index included.
            appendReference(
                    client.curator(),
                    client.admin().readConfig("orders").config().segmentBatches(),
                    twice);
            return twice;
        }
    }

    @Test
    void aStagedBatchReferencedTwiceFailsConsumeWithoutPrintingItsRecordsAgain() throws Exception {
        String namespace = "t" + UUID.randomUUID().toString().substring(0, 8);
        Cli cli = Cli.against(ZK.connectString(), namespace);
        StagedBatch twice = corruptQueue(cli, namespace);

        Cli.Result consumed = cli.run("consume", "orders", "--from", "earliest", "--timeout", "5s");

        assertThat(consumed.exitCode()).as(consumed.toString()).isEqualTo(1);
        assertThat(consumed.outLines()).as(consumed.toString()).containsExactly("t0", "t1", "t2");
        assertThat(consumed.err())
                .as(consumed.toString())
                .contains(ErrorReporter.PREFIX + "Batch 3 of queue 'orders' partition 0")
                .contains("staged batch " + twice.path())
                .contains("referenced a second time (first by seq 1)");
    }

    @Test
    void aGroupConsumeThatStopsAtACorruptBatchCommitsWhatItPrinted() throws Exception {
        String namespace = "t" + UUID.randomUUID().toString().substring(0, 8);
        Cli cli = Cli.against(ZK.connectString(), namespace);
        corruptQueue(cli, namespace);

        Cli.Result consumed = cli.run("consume", "orders", "--group", "g", "--timeout", "5s");

        assertThat(consumed.exitCode()).as(consumed.toString()).isEqualTo(1);
        assertThat(consumed.outLines()).as(consumed.toString()).containsExactly("t0", "t1", "t2");
        assertThat(consumed.err()).contains(ErrorReporter.PREFIX + "Batch 3 of queue 'orders'");
        Cli.Result described = cli.run("group", "describe", "g", "--queue", "orders");
        assertThat(described.out()).as(described.toString()).containsPattern("(?m)^0 +3 +4 +1 +-$");
    }

    private static TransactionMarker commitOneRecordBatches(
            TransactionStore store, String txn, String... values) {
        List<SealedBatch> sealed = new ArrayList<>();
        for (String value : values) {
            BatchBuilder b = new BatchBuilder(1024, 1024);
            assertThat(
                            b.tryAppend(
                                    new Record(
                                            null,
                                            value.getBytes(StandardCharsets.UTF_8),
                                            List.of(),
                                            1_000)))
                    .isTrue();
            sealed.add(b.seal());
        }
        TransactionMarker marker =
                store.stage("orders", 0, TransactionId.parse(txn), UUID.randomUUID(), 0, sealed);
        assertThat(store.commit("orders", 0, txn, marker.attempt()))
                .isEqualTo(TransactionStore.CommitOutcome.COMMITTED);
        return marker;
    }

    /**
     * The append protocol with a reference batch for {@code staged}, written through the ZooKeeper
     * API.
     */
    private static void appendReference(
            CuratorFramework curator, int segmentBatches, StagedBatch staged) throws Exception {
        String headPath = ZkmqPaths.head("orders", 0);
        PartitionHead head = PartitionHead.fromJson(curator.getData().forPath(headPath), headPath);
        long seq = head.nextSeq();
        List<CuratorOp> ops = new ArrayList<>();
        if (seq % segmentBatches == 0) {
            ops.add(
                    curator.transactionOp()
                            .create()
                            .forPath(
                                    ZkmqPaths.segment("orders", 0, seq / segmentBatches),
                                    new SegmentInfo(seq, head.nextOffset(), head.nextBytes())
                                            .toJson()));
        }
        ops.add(
                curator.transactionOp()
                        .create()
                        .forPath(
                                ZkmqPaths.batch("orders", 0, seq, segmentBatches),
                                ReferenceBatch.encode(head.nextOffset(), staged)));
        ops.add(
                curator.transactionOp()
                        .create()
                        .forPath(
                                ZkmqPaths.reference("orders", 0, seq),
                                staged.path().getBytes(StandardCharsets.UTF_8)));
        ops.add(
                curator.transactionOp()
                        .setData()
                        .forPath(
                                headPath, head.advance(staged.records(), staged.bytes()).toJson()));
        curator.transaction().forOperations(ops);
    }
}
