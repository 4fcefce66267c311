package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.queue.Batch;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.SegmentInfo;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The producer and the exactly-once commit append through one plan: interleaved in a partition,
 * across segment boundaries that each of them opens, they leave one consistent layout of segments,
 * dense offsets and a head that counts every batch.
 */
class AppendLayoutTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final String QUEUE = "layout";
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
                                .maxBatchBytes(1024)
                                .segmentBatches(SEGMENT_BATCHES)
                                .build());
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void producedAndCommittedBatchesShareSegmentsDenseOffsetsAndTheHead() throws Exception {
        produceOneRecordBatches("a", 3); // seqs 0-2
        TransactionMarker marker =
                client.transactions()
                        .stage(
                                QUEUE,
                                0,
                                TransactionId.parse("sink-0-1"),
                                UUID.randomUUID(),
                                0,
                                stagedBatches(
                                        3,
                                        4)); // committed as seqs 3-5: the commit opens segment 1 at
        // seq 4
        assertThat(client.transactions().commit(QUEUE, 0, "sink-0-1", marker.attempt()))
                .isEqualTo(TransactionStore.CommitOutcome.COMMITTED);
        produceOneRecordBatches("c", 3); // seqs 6-8: the producer opens segment 2 at seq 8

        CuratorFramework curator = client.curator();
        long offset = 0;
        long bytes = 0;
        for (long seq = 0; seq < 9; seq++) {
            if (seq % SEGMENT_BATCHES == 0) {
                String segmentPath = ZkmqPaths.segment(QUEUE, 0, seq / SEGMENT_BATCHES);
                assertThat(
                                SegmentInfo.fromJson(
                                        curator.getData().forPath(segmentPath), segmentPath))
                        .as("segment znode " + segmentPath)
                        .isEqualTo(new SegmentInfo(seq, offset, bytes));
            }
            String path = ZkmqPaths.batch(QUEUE, 0, seq, SEGMENT_BATCHES);
            byte[] data = curator.getData().forPath(path);
            Batch batch = Batch.parse(QUEUE, 0, seq, path, data);
            assertThat(batch.isReference())
                    .as("batch " + seq + " is a committed reference")
                    .isEqualTo(seq >= 3 && seq < 6);
            assertThat(batch.baseOffset()).as("base offset of batch " + seq).isEqualTo(offset);
            int counted = data.length;
            if (batch.isReference()) {
                // The partition grows by the staged bytes a reference stands for, and the refs
                // index names them.
                byte[] indexed = curator.getData().forPath(ZkmqPaths.reference(QUEUE, 0, seq));
                assertThat(new String(indexed, StandardCharsets.UTF_8))
                        .isEqualTo(batch.referencedPath());
                counted = curator.getData().forPath(batch.referencedPath()).length;
            }
            offset += batch.recordCount();
            bytes += counted;
        }
        assertThat(offset).isEqualTo(3 + 12 + 3);
        assertThat(client.admin().readHead(QUEUE, 0))
                .isEqualTo(new PartitionHead(9, offset, bytes));
        assertThat(curator.checkExists().forPath(ZkmqPaths.segment(QUEUE, 0, 3)))
                .as("no segment beyond the head")
                .isNull();
    }

    /** One record per batch: every flush seals the open batch. */
    private void produceOneRecordBatches(String prefix, int batches) {
        try (ZkmqProducer producer = client.producer(QUEUE)) {
            for (int i = 0; i < batches; i++) {
                producer.send(
                        0,
                        new Record(
                                null,
                                (prefix + i).getBytes(StandardCharsets.UTF_8),
                                List.of(),
                                1_000 + i));
                producer.flush();
            }
        }
    }

    private static List<SealedBatch> stagedBatches(int batches, int recordsEach) {
        List<SealedBatch> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            BatchBuilder builder = new BatchBuilder(1024, 1024);
            for (int r = 0; r < recordsEach; r++) {
                assertThat(
                                builder.tryAppend(
                                        new Record(
                                                null,
                                                ("t" + b + "." + r)
                                                        .getBytes(StandardCharsets.UTF_8),
                                                List.of(),
                                                2_000 + r)))
                        .isTrue();
            }
            out.add(builder.seal());
        }
        return out;
    }
}
