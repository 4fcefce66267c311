package io.zkmq.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ProducerOptions;
import io.zkmq.client.TierOffloadTask;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.queue.Header;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.ZkmqPaths;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A queue with a local-file tier, filled with records whose content follows from their partition
 * and offset ({@link #expected}), offloaded and hot-trimmed by real {@link TierOffloadTask} runs
 * (the maintenance leader's code path): the fixture of the tiered read tests.
 */
public final class TieredQueue {
    public static final int SEGMENT_BATCHES = 10;
    public static final int MAX_BATCH = 16 * 1024;

    /** Above one segment's maximum (10 x 16 KiB): a couple of segments stay hot. */
    public static final long HOT = 200_000;

    public static final long BASE_TS = 1_700_000_000_000L;

    private final ZkmqClient client;
    private final String namespace;
    private final String queue;
    private final int partitions;
    private final String tierUri;
    private final long[] produced;
    private final TierOffloadTask task;

    private TieredQueue(
            ZkmqClient client, String namespace, String queue, int partitions, String tierUri)
            throws Exception {
        this.client = client;
        this.namespace = namespace;
        this.queue = queue;
        this.partitions = partitions;
        this.tierUri = tierUri;
        this.produced = new long[partitions];
        client.admin().createQueue(queue, config(partitions, tierUri));
        MaintenanceEpoch epoch = new MaintenanceEpoch(client.curator(), queue);
        epoch.bump();
        this.task =
                new TierOffloadTask(
                        client.curator(), namespace, queue, epoch, Duration.ofMinutes(10));
    }

    /** A new queue in a fresh namespace whose tier is the directory {@code tierDir}. */
    public static TieredQueue create(
            ZooKeeperExtension zk, java.nio.file.Path tierDir, String queue, int partitions)
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        return new TieredQueue(zk.client(ns), ns, queue, partitions, tierDir.toUri().toString());
    }

    public static QueueConfig config(int partitions, String tierUri) {
        return QueueConfig.builder()
                .partitions(partitions)
                .maxBatchBytes(MAX_BATCH)
                .segmentBatches(SEGMENT_BATCHES)
                .retentionBytes(1L << 40)
                .tierUri(tierUri)
                .hotRetentionBytes(HOT)
                .build();
    }

    public ZkmqClient client() {
        return client;
    }

    public String namespace() {
        return namespace;
    }

    public String queue() {
        return queue;
    }

    public String tierUri() {
        return tierUri;
    }

    public long produced(int partition) {
        return produced[partition];
    }

    public long producedTotal() {
        long n = 0;
        for (long p : produced) {
            n += p;
        }
        return n;
    }

    /** Appends the next {@code perPartition} records to every partition. */
    public void produce(int perPartition) {
        try (ZkmqProducer producer =
                client.producer(
                        queue,
                        ProducerOptions.builder()
                                .joinMaintenance(false)
                                .batchBytes(MAX_BATCH)
                                .linger(Duration.ofMillis(5))
                                .build())) {
            for (int i = 0; i < perPartition; i++) {
                for (int p = 0; p < partitions; p++) {
                    producer.send(p, expected(p, produced[p]++));
                }
            }
            producer.flush();
        }
    }

    /**
     * One maintenance run of the tier task: offload (one object per partition at most), then the
     * real hot trim of what is in the tier.
     */
    public int offloadAndTrim() throws Exception {
        return task.runOnce();
    }

    public TierHigh tierHigh(int partition) throws Exception {
        String path = ZkmqPaths.tierHigh(queue, partition);
        return TierHigh.fromJson(client.curator().getData().forPath(path), path);
    }

    /** Whether batch {@code seq} of {@code partition} is still in ZooKeeper. */
    public boolean inZooKeeper(int partition, long seq) throws Exception {
        return client.curator()
                        .checkExists()
                        .forPath(ZkmqPaths.batch(queue, partition, seq, SEGMENT_BATCHES))
                != null;
    }

    /** The record at {@code offset} of {@code partition}. */
    public static Record expected(int partition, long offset) {
        return new Record(
                ("k" + partition + "-" + offset).getBytes(StandardCharsets.UTF_8),
                ("v" + offset).getBytes(StandardCharsets.UTF_8),
                offset % 3 == 0 ? List.of(Header.of("h", Long.toString(offset % 7))) : List.of(),
                BASE_TS + offset);
    }

    /** Checks that a record read back is the one produced at its partition and offset. */
    public static void assertProduced(QueueRecord r) {
        Record want = expected(r.partition(), r.offset());
        if (!want.equals(r.record())) {
            assertThat(r.record())
                    .as("record at offset %d of partition %d", r.offset(), r.partition())
                    .isEqualTo(want);
        }
    }
}
