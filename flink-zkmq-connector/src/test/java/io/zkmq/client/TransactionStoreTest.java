package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.TransactionStore.CommitOutcome;
import io.zkmq.error.TransactionAbortedException;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.ExactlyOnceData;
import io.zkmq.testing.QueueContents;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once transactions against a real ZooKeeper: staged invisibly, committed once, aborts
 * final.
 */
class TransactionStoreTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final String QUEUE = "txq";
    private ZkmqClient client;
    private TransactionStore store;

    @BeforeEach
    void setUp() {
        client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin()
                .createQueue(
                        QUEUE,
                        QueueConfig.builder()
                                .partitions(2)
                                .maxBatchBytes(1024)
                                .segmentBatches(4)
                                .build());
        store = client.transactions();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void stagedRecordsAreInvisibleUntilCommittedThenReadWithDenseOffsets() {
        produce(0, "plain-", 5);
        TransactionMarker marker = stage("sink-0-1", 0, "txn-", 30);
        assertThat(marker.staged()).as("several staged batches").hasSizeGreaterThan(1);

        assertThat(QueueContents.readPartition(client, QUEUE, 0, 5))
                .extracting(this::value)
                .containsExactly("plain-0", "plain-1", "plain-2", "plain-3", "plain-4");
        assertThat(client.admin().readHead(QUEUE, 0).nextOffset()).isEqualTo(5);

        assertThat(store.commit(QUEUE, 0, "sink-0-1", marker.attempt()))
                .isEqualTo(CommitOutcome.COMMITTED);
        produce(0, "after-", 2);

        List<QueueRecord> all = QueueContents.readPartition(client, QUEUE, 0, 37);
        assertThat(all).extracting(QueueRecord::offset).containsExactlyElementsOf(range(37));
        assertThat(all.subList(5, 35))
                .extracting(this::value)
                .containsExactlyElementsOf(names("txn-", 30));
        assertThat(all.subList(35, 37))
                .extracting(this::value)
                .containsExactly("after-0", "after-1");
        assertThat(all.get(5).timestamp()).isEqualTo(1_000);
    }

    @Test
    void aRepeatedCommitIsRecognisedAndAppendsNothing() {
        TransactionMarker marker = stage("sink-0-2", 1, "x", 10);

        assertThat(store.commit(QUEUE, 1, "sink-0-2", marker.attempt()))
                .isEqualTo(CommitOutcome.COMMITTED);
        long head = client.admin().readHead(QUEUE, 1).nextOffset();
        assertThat(store.commit(QUEUE, 1, "sink-0-2", marker.attempt()))
                .isEqualTo(CommitOutcome.ALREADY_COMMITTED);

        assertThat(head).isEqualTo(10);
        assertThat(client.admin().readHead(QUEUE, 1).nextOffset()).isEqualTo(10);
    }

    @Test
    void anAbortedTransactionFailsToCommitAndLeavesNoStagedBytes() throws Exception {
        TransactionMarker marker = stage("sink-1-3", 0, "x", 10);

        assertThat(store.abort(QUEUE, 0, "sink-1-3")).isTrue();

        assertThatThrownBy(() -> store.commit(QUEUE, 0, "sink-1-3", marker.attempt()))
                .isInstanceOf(TransactionAbortedException.class)
                .hasMessageContaining("sink-1-3")
                .hasMessageContaining("NOT in the queue");
        assertThat(client.curator().getChildren().forPath(ZkmqPaths.stagedBatches(QUEUE, 0)))
                .isEmpty();
        assertThat(store.read(QUEUE, 0, "sink-1-3")).isEmpty();
        assertThat(client.admin().readHead(QUEUE, 0).nextOffset()).isZero();
    }

    @Test
    void aCommittedTransactionCannotBeAborted() {
        TransactionMarker marker = stage("sink-0-4", 0, "x", 3);
        store.commit(QUEUE, 0, "sink-0-4", marker.attempt());

        assertThat(store.abort(QUEUE, 0, "sink-0-4")).isFalse();

        assertThat(QueueContents.readPartition(client, QUEUE, 0, 3))
                .extracting(this::value)
                .containsExactly("x0", "x1", "x2");
    }

    @Test
    void restagingAnOpenTransactionAbortsTheEarlierAttempt() {
        TransactionMarker first = stage("sink-0-5", 0, "old", 4);
        TransactionMarker second = stage("sink-0-5", 0, "new", 4);

        assertThat(second.attempt()).isNotEqualTo(first.attempt());
        assertThatThrownBy(() -> store.commit(QUEUE, 0, "sink-0-5", first.attempt()))
                .isInstanceOf(TransactionAbortedException.class);
        assertThat(store.commit(QUEUE, 0, "sink-0-5", second.attempt()))
                .isEqualTo(CommitOutcome.COMMITTED);
        assertThat(QueueContents.readPartition(client, QUEUE, 0, 4))
                .extracting(this::value)
                .containsExactly("new0", "new1", "new2", "new3");
    }

    @Test
    void aLaterRunReusingACommittedIdKeepsTheCommittedRecords() {
        // A job restored from an old savepoint reuses checkpoint ids, hence transaction ids.
        TransactionMarker earlier = stage("sink-0-6", 0, "a", 3);
        store.commit(QUEUE, 0, "sink-0-6", earlier.attempt());
        TransactionMarker later = stage("sink-0-6", 0, "b", 3);

        assertThat(store.commit(QUEUE, 0, "sink-0-6", earlier.attempt()))
                .isEqualTo(CommitOutcome.ALREADY_COMMITTED);
        assertThat(store.commit(QUEUE, 0, "sink-0-6", later.attempt()))
                .isEqualTo(CommitOutcome.COMMITTED);
        assertThat(QueueContents.readPartition(client, QUEUE, 0, 6))
                .extracting(this::value)
                .containsExactly("a0", "a1", "a2", "b0", "b1", "b2");
    }

    @Test
    void listingByPrefixFindsOpenAndCommittedTransactionsOfThatPrefixOnly() {
        TransactionMarker committed = stage("orders-0-7", 0, "x", 2);
        store.commit(QUEUE, 0, "orders-0-7", committed.attempt());
        stage("orders-1-8", 1, "y", 2);
        stage("other-0-8", 1, "z", 2);

        assertThat(store.sinkQueues("orders")).containsExactly(QUEUE);
        assertThat(store.listByPrefix("orders"))
                .extracting(
                        l ->
                                l.partition()
                                        + ":"
                                        + l.marker().id().name()
                                        + ":"
                                        + l.marker().state())
                .containsExactly("0:orders-0-7:COMMITTED", "1:orders-1-8:OPEN");
    }

    @Test
    void aTimestampPositionFindsRecordsOfACommittedTransaction() {
        produce(0, "p", 3); // timestamps 1000..1002
        TransactionMarker marker = stage("sink-0-9", 0, "t", 20); // timestamps 1000..1019
        store.commit(QUEUE, 0, "sink-0-9", marker.attempt());

        assertThat(
                        client.admin()
                                .resolvePosition(QUEUE, 0, StartingPosition.timestamp(1_010))
                                .offset())
                .isEqualTo(3 + 10);
    }

    @Test
    void batchesStagedLaterIntoAnOpenTransactionAreCommittedWithIt() {
        TransactionMarker first = stage("sink-0-10", 0, "a", 10);
        TransactionMarker more =
                store.stageMore(
                        QUEUE,
                        0,
                        first,
                        UUID.randomUUID(),
                        100,
                        ExactlyOnceData.smallBatches("b", 10));

        assertThat(more.staged()).hasSize(first.staged().size() * 2);
        assertThat(store.commit(QUEUE, 0, "sink-0-10", first.attempt()))
                .isEqualTo(CommitOutcome.COMMITTED);
        List<String> expected = new ArrayList<>(names("a", 10));
        expected.addAll(names("b", 10));
        assertThat(QueueContents.readPartition(client, QUEUE, 0, 20))
                .extracting(this::value)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void stagingMoreIntoAnAbortedTransactionFails() {
        TransactionMarker first = stage("sink-0-11", 0, "a", 3);
        store.abort(QUEUE, 0, "sink-0-11");

        assertThatThrownBy(
                        () ->
                                store.stageMore(
                                        QUEUE,
                                        0,
                                        first,
                                        UUID.randomUUID(),
                                        9,
                                        ExactlyOnceData.smallBatches("b", 3)))
                .isInstanceOf(TransactionAbortedException.class)
                .hasMessageContaining("sink-0-11");
    }

    @Test
    void aTransactionTooLargeForOneRequestIsCommittedInSeveralAndReadCompletely() throws Exception {
        // One record per batch: 1,500 staged batches make a commit far larger than one ZooKeeper
        // request.
        int records = 1_500;
        List<SealedBatch> batches = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            BatchBuilder b = new BatchBuilder(128, 128);
            b.tryAppend(
                    new Record(
                            null,
                            ("big" + i).getBytes(StandardCharsets.UTF_8),
                            List.of(),
                            1_000 + i));
            batches.add(b.seal());
        }
        TransactionMarker marker =
                store.stage(
                        QUEUE, 1, TransactionId.parse("sink-0-12"), UUID.randomUUID(), 0, batches);

        assertThat(store.commit(QUEUE, 1, "sink-0-12", marker.attempt()))
                .isEqualTo(CommitOutcome.COMMITTED);
        assertThat(store.commit(QUEUE, 1, "sink-0-12", marker.attempt()))
                .isEqualTo(CommitOutcome.ALREADY_COMMITTED);

        assertThat(client.admin().readHead(QUEUE, 1).nextOffset()).isEqualTo(records);
        List<QueueRecord> read = QueueContents.readPartition(client, QUEUE, 1, records);
        assertThat(read).extracting(QueueRecord::offset).containsExactlyElementsOf(range(records));
        assertThat(read).extracting(this::value).containsExactlyElementsOf(names("big", records));
    }

    @Test
    void aTransactionListingTooManyBatchesIsRefusedWithAdvice() {
        List<SealedBatch> batches = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            BatchBuilder b = new BatchBuilder(128, 128);
            b.tryAppend(new Record(null, new byte[1], List.of(), i));
            batches.add(b.seal());
        }
        assertThatThrownBy(
                        () ->
                                store.stage(
                                        QUEUE,
                                        0,
                                        TransactionId.parse("sink-0-13"),
                                        UUID.randomUUID(),
                                        0,
                                        batches))
                .hasMessageContaining("checkpoint more often")
                .hasMessageContaining("maxBatchBytes");
        assertThat(store.read(QUEUE, 0, "sink-0-13")).isEmpty();
    }

    private TransactionMarker stage(String txn, int partition, String prefix, int records) {
        return ExactlyOnceData.stage(store, QUEUE, partition, txn, prefix, records);
    }

    private void produce(int partition, String prefix, int records) {
        try (ZkmqProducer producer = client.producer(QUEUE)) {
            for (int i = 0; i < records; i++) {
                producer.send(
                        partition,
                        new Record(
                                null,
                                (prefix + i).getBytes(StandardCharsets.UTF_8),
                                List.of(),
                                1_000 + i));
            }
            producer.flush();
        }
    }

    private String value(QueueRecord r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    private static List<Long> range(int n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    private static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }
}
