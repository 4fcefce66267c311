package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.ReferenceBatch;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.StagedBatch;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A staged batch referenced twice (a faulty or foreign writer) fails the reader with a
 * corrupt-queue error naming both batch numbers, instead of handing out its records twice.
 * Partitions are made by the real committer; the extra reference is appended through the ZooKeeper
 * API, refs index included.
 */
class DuplicateReferenceTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final String QUEUE = "dup";
    private static final int SEGMENT_BATCHES = 4;
    private ZkmqClient client;

    @BeforeEach
    void setUp() {
        client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin()
                .createQueue(
                        QUEUE,
                        QueueConfig.builder()
                                .partitions(1)
                                .segmentBatches(SEGMENT_BATCHES)
                                .build());
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void aSecondReferenceToAStagedBatchFailsTheConsumerNamingBothSeqsAndThePath() throws Exception {
        TransactionMarker marker = commitOneRecordBatches("sink-0-1", "t", 3); // seqs 0, 1, 2
        StagedBatch twice = marker.staged().get(1);
        appendReference(client.curator(), QUEUE, 0, twice); // seq 3
        produce("after"); // seq 4

        try (ZkmqConsumer consumer = consumer()) {
            consumer.assign(Map.of(0, StartingPosition.earliest()));
            List<QueueRecord> read = new ArrayList<>();
            Throwable error = pollUntilError(consumer, read);

            assertThat(read)
                    .extracting(DuplicateReferenceTest::value)
                    .containsExactly("t0", "t1", "t2");
            assertThat(error)
                    .isInstanceOf(CorruptBatchException.class)
                    .hasMessageContaining("Batch 3 of queue '" + QUEUE + "' partition 0")
                    .hasMessageContaining("staged batch " + twice.path())
                    .hasMessageContaining("referenced a second time (first by seq 1)");
            // Not moved past: the next poll raises it again.
            assertThat(catchThrowable(() -> consumer.poll(Duration.ofSeconds(5))))
                    .isInstanceOf(CorruptBatchException.class)
                    .hasMessageContaining("first by seq 1");
        }
    }

    @Test
    void
            aReaderThatStartedAfterTheFirstReferenceFindsASecondReferenceToAnEarlierBatchOfTheSameTransaction()
                    throws Exception {
        TransactionMarker marker = commitOneRecordBatches("sink-0-2", "t", 3); // seqs 0, 1, 2
        StagedBatch twice = marker.staged().get(0);
        appendReference(client.curator(), QUEUE, 0, twice); // seq 3

        try (ZkmqConsumer consumer = consumer()) {
            consumer.assign(
                    Map.of(0, StartingPosition.offset(1))); // after seq 0, its first reference
            List<QueueRecord> read = new ArrayList<>();
            Throwable error = pollUntilError(consumer, read);

            assertThat(read).extracting(DuplicateReferenceTest::value).containsExactly("t1", "t2");
            assertThat(error)
                    .isInstanceOf(CorruptBatchException.class)
                    .hasMessageContaining("Batch 3 of queue '" + QUEUE + "' partition 0")
                    .hasMessageContaining("staged batch " + twice.path())
                    .hasMessageContaining("referenced a second time")
                    .hasMessageContaining("referenced by seq 1");
        }
    }

    @Test
    void readingACommittedTransactionAgainAfterSeekingBackIsNoSecondReference() {
        commitOneRecordBatches("sink-0-3", "a", 3);
        produce("between");
        commitOneRecordBatches("sink-0-4", "b", 2);

        try (ZkmqConsumer consumer = consumer()) {
            consumer.assign(Map.of(0, StartingPosition.earliest()));
            List<String> first = readUpTo(consumer, 6);
            consumer.seek(0, StartingPosition.offset(1));
            List<String> again = readUpTo(consumer, 6);

            assertThat(first).containsExactly("a0", "a1", "a2", "between", "b0", "b1");
            assertThat(again).containsExactly("a1", "a2", "between", "b0", "b1");
        }
    }

    /**
     * Appends a reference batch for {@code staged} with the append protocol, as a committer that
     * forgot it already had.
     */
    static void appendReference(
            CuratorFramework curator, String queue, int partition, StagedBatch staged)
            throws Exception {
        String headPath = ZkmqPaths.head(queue, partition);
        PartitionHead head = PartitionHead.fromJson(curator.getData().forPath(headPath), headPath);
        long seq = head.nextSeq();
        List<CuratorOp> ops = new ArrayList<>();
        if (seq % SEGMENT_BATCHES == 0) {
            ops.add(
                    curator.transactionOp()
                            .create()
                            .forPath(
                                    ZkmqPaths.segment(queue, partition, seq / SEGMENT_BATCHES),
                                    new SegmentInfo(seq, head.nextOffset(), head.nextBytes())
                                            .toJson()));
        }
        ops.add(
                curator.transactionOp()
                        .create()
                        .forPath(
                                ZkmqPaths.batch(queue, partition, seq, SEGMENT_BATCHES),
                                ReferenceBatch.encode(head.nextOffset(), staged)));
        ops.add(
                curator.transactionOp()
                        .create()
                        .forPath(
                                ZkmqPaths.reference(queue, partition, seq),
                                staged.path().getBytes(StandardCharsets.UTF_8)));
        ops.add(
                curator.transactionOp()
                        .setData()
                        .withVersion(-1)
                        .forPath(
                                headPath, head.advance(staged.records(), staged.bytes()).toJson()));
        curator.transaction().forOperations(ops);
    }

    /** Stages and commits {@code batches} batches of one record each ({@code <prefix><i>}). */
    private TransactionMarker commitOneRecordBatches(String txn, String prefix, int batches) {
        List<SealedBatch> sealed = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            BatchBuilder b = new BatchBuilder(128, 128);
            assertThat(
                            b.tryAppend(
                                    new Record(
                                            null,
                                            (prefix + i).getBytes(StandardCharsets.UTF_8),
                                            List.of(),
                                            1_000 + i)))
                    .isTrue();
            sealed.add(b.seal());
        }
        TransactionStore store = client.transactions();
        TransactionMarker marker =
                store.stage(QUEUE, 0, TransactionId.parse(txn), UUID.randomUUID(), 0, sealed);
        assertThat(store.commit(QUEUE, 0, txn, marker.attempt()))
                .isEqualTo(TransactionStore.CommitOutcome.COMMITTED);
        return marker;
    }

    private void produce(String value) {
        try (ZkmqProducer producer = client.producer(QUEUE)) {
            producer.send(
                    0, new Record(null, value.getBytes(StandardCharsets.UTF_8), List.of(), 2_000));
            producer.flush();
        }
    }

    private ZkmqConsumer consumer() {
        return client.consumer(QUEUE, ConsumerOptions.builder().joinMaintenance(false).build());
    }

    /** Polls, collecting records, until a poll throws; returns what it threw. */
    private static Throwable pollUntilError(ZkmqConsumer consumer, List<QueueRecord> read) {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Deadline.await(
                "a poll that fails",
                Duration.ofSeconds(20),
                () -> {
                    try {
                        read.addAll(consumer.poll(Duration.ofMillis(200)));
                        return false;
                    } catch (RuntimeException e) {
                        error.set(e);
                        return true;
                    }
                });
        return error.get();
    }

    private static List<String> readUpTo(ZkmqConsumer consumer, long endOffset) {
        List<String> out = new ArrayList<>();
        Deadline.await(
                "records up to offset " + endOffset,
                Duration.ofSeconds(20),
                () -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(value(r)));
                    return consumer.positions().get(0).offset() >= endOffset;
                });
        return out;
    }

    private static String value(QueueRecord r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }
}
