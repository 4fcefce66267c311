package io.zkmq.client;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.ZkErrors;
import io.zkmq.queue.Batch;
import io.zkmq.queue.TierObjectWriter;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.tier.BatchSource;
import java.io.IOException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The batches {@code [fromSeq, toSeq)} of a partition, read from ZooKeeper in order for a tier
 * object. A reference batch (exactly-once commit) is materialized with the staged batch it points
 * to, as the Fetcher resolves it, so the object never points back into ZooKeeper.
 */
final class ZooKeeperBatchSource implements BatchSource {
    private final CuratorFramework curator;
    private final String queue;
    private final int partition;
    private final int segmentBatches;
    private final long fromSeq;
    private final long toSeq;

    ZooKeeperBatchSource(
            CuratorFramework curator,
            String queue,
            int partition,
            int segmentBatches,
            long fromSeq,
            long toSeq) {
        this.curator = curator;
        this.queue = queue;
        this.partition = partition;
        this.segmentBatches = segmentBatches;
        this.fromSeq = fromSeq;
        this.toSeq = toSeq;
    }

    @Override
    public void writeTo(TierObjectWriter writer) throws IOException {
        for (long seq = fromSeq; seq < toSeq; seq++) {
            String path = ZkmqPaths.batch(queue, partition, seq, segmentBatches);
            byte[] data = read(path, "batch " + seq);
            if (Batch.looksLikeReference(data)) {
                String stagedPath = Batch.parse(queue, partition, seq, path, data).referencedPath();
                writer.appendReference(
                        seq,
                        path,
                        data,
                        read(stagedPath, "the staged batch of reference batch " + seq));
            } else {
                writer.append(seq, path, data);
            }
        }
    }

    private byte[] read(String path, String what) {
        try {
            return curator.getData().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // A complete segment below the head has every batch: only retention deletes them, so it
            // trimmed meanwhile.
            throw new CorruptBatchException(
                    "Cannot offload "
                            + what
                            + " of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + ": znode "
                            + path
                            + " does not exist (trimmed by retention, or moved to the tier by a newer maintenance leader,"
                            + " while offloading?); the next run starts"
                            + " from the new low-water mark");
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e,
                    "reading "
                            + what
                            + " of queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " at "
                            + path);
        }
    }
}
