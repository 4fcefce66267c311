package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.coordination.TierIndex;
import io.zkmq.queue.Batch;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.tier.TierBatchIterator;
import io.zkmq.tier.TierObjectReader;
import io.zkmq.tier.TierObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.flink.core.fs.Path;

/**
 * Reads a tiered partition of plain batches end to end without the consumer (whose tier read path
 * is built separately): registered objects through {@link TierObjectStore}, then the batch znodes
 * from the tier's end to the head, checking on the way that every batch of {@code [low, head)} is
 * in exactly one place.
 */
final class TieredPartition {
    private TieredPartition() {}

    /**
     * The records of {@code [low, head)}, in order; fails the test on overlapping or missing
     * objects, batches below the tier's end still in ZooKeeper, or offsets that are not dense.
     */
    static List<QueueRecord> readAll(
            ZkmqClient client,
            String namespace,
            String tierUri,
            String queue,
            int partition,
            int segmentBatches)
            throws Exception {
        CuratorFramework curator = client.curator();
        PartitionLow low = client.admin().readLow(queue, partition);
        PartitionHead head = client.admin().readHead(queue, partition);
        String highPath = ZkmqPaths.tierHigh(queue, partition);
        TierHigh high =
                curator.checkExists().forPath(highPath) == null
                        ? TierHigh.EMPTY
                        : TierHigh.fromJson(curator.getData().forPath(highPath), highPath);
        TierObjectStore store = new TierObjectStore(new Path(tierUri), namespace);
        List<QueueRecord> out = new ArrayList<>();
        long nextSeq = low.lowSeq();
        long nextOffset = low.lowOffset();
        for (TierIndex.Registered r : TierIndex.read(curator, queue, partition)) {
            TierObjectEntry e = r.entry();
            if (e.lastSeq() < low.lowSeq()) {
                continue;
            }
            assertThat(e.firstSeq())
                    .as("object %s starts where the previous one (or low) ends", e.path())
                    .isLessThanOrEqualTo(nextSeq);
            assertThat(e.firstSeq() == nextSeq || nextSeq == low.lowSeq())
                    .as("objects %s does not overlap the previous one", e.path())
                    .isTrue();
            TierObjectReader reader = store.open(queue, partition, store.resolve(e.path()));
            assertThat(e.matches(reader.footer()))
                    .as("object %s is the registered one", e.path())
                    .isTrue();
            try (TierBatchIterator it = reader.batches()) {
                while (it.hasNext()) {
                    Batch b = it.next();
                    if (b.seq() < nextSeq) {
                        continue; // below low
                    }
                    assertThat(b.seq()).isEqualTo(nextSeq);
                    assertThat(b.baseOffset())
                            .as("dense offsets at batch %d", b.seq())
                            .isEqualTo(nextOffset);
                    out.addAll(b.records());
                    nextSeq++;
                    nextOffset = b.nextOffset();
                }
            }
        }
        assertThat(nextSeq)
                .as("the objects end at tierHigh")
                .isEqualTo(Math.max(high.nextSeq(), low.lowSeq()));
        for (String segment : curator.getChildren().forPath(ZkmqPaths.segments(queue, partition))) {
            assertThat((Long.parseLong(segment) + 1) * segmentBatches)
                    .as(
                            "segment %s is not wholly below the tier's end: hot trim deleted those",
                            segment)
                    .isGreaterThan(nextSeq);
        }
        for (long seq = nextSeq; seq < head.nextSeq(); seq++) {
            String path = ZkmqPaths.batch(queue, partition, seq, segmentBatches);
            Batch b = Batch.parse(queue, partition, seq, path, curator.getData().forPath(path));
            assertThat(b.baseOffset()).as("dense offsets at batch %d", seq).isEqualTo(nextOffset);
            out.addAll(b.records());
            nextOffset = b.nextOffset();
        }
        assertThat(nextOffset).as("the records end at the head").isEqualTo(head.nextOffset());
        return out;
    }

    static String value(QueueRecord record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
