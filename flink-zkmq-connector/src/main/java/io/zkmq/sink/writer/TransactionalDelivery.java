package io.zkmq.sink.writer;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.error.RecordTooLargeException;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.Record;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.sink.ZkmqSinkConfig;
import io.zkmq.sink.committer.ZkmqCommittable;
import io.zkmq.source.QueuePartition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * EXACTLY_ONCE: records are packed into batches per partition in memory; {@link #prepareCommit}
 * stages each partition's batches as one transaction (all partitions in parallel) and returns one
 * committable per partition. Nothing reaches ZooKeeper between checkpoints, so a failed writer
 * leaves nothing behind but what it staged, which a restore aborts.
 */
final class TransactionalDelivery implements Delivery {
    private final ZkmqClient client;
    private final ZkmqSinkConfig config;
    private final SendMetrics metrics;
    private final int subtask;
    private final UUID producerId = UUID.randomUUID();
    private final Map<QueuePartition, PartitionBuffer> buffers = new TreeMap<>();
    private final ExecutorService stagers;
    private long producerSequence;
    private long bufferedBytes;

    TransactionalDelivery(ZkmqClient client, ZkmqSinkConfig config, SendMetrics metrics, int subtask) {
        this.client = client;
        this.config = config;
        this.metrics = metrics;
        this.subtask = subtask;
        this.stagers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "zkmq-sink-stager-" + subtask);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void write(String queue, int partition, Record record) throws IOException {
        QueuePartition key = new QueuePartition(queue, partition);
        PartitionBuffer buffer = buffers.get(key);
        if (buffer == null) {
            buffer = new PartitionBuffer(client.currentConfig(queue).config().maxBatchBytes());
            buffers.put(key, buffer);
        }
        int size = BatchBuilder.encodedSize(record, record.timestamp());
        bufferedBytes += size;
        if (bufferedBytes > config.maxBufferedBytes()) {
            throw new IOException("The exactly-once sink buffered more than " + config.maxBufferedBytes() + " bytes since"
                    + " the last checkpoint (records are held in memory until the checkpoint stages them): checkpoint more"
                    + " often, or raise 'sink.transaction.max-buffered-bytes'");
        }
        buffer.add(record, queue, partition);
    }

    @Override
    public void flush(boolean endOfInput) {
        // Staging happens in prepareCommit, which always follows.
    }

    @Override
    public List<ZkmqCommittable> prepareCommit(long transactionCheckpointId) throws IOException {
        if (buffers.isEmpty()) {
            return List.of();
        }
        long start = System.currentTimeMillis();
        List<CompletableFuture<ZkmqCommittable>> staged = new ArrayList<>();
        TransactionStore store = client.transactions();
        TransactionId id = new TransactionId(config.transactionalIdPrefix(), subtask, transactionCheckpointId);
        for (Map.Entry<QueuePartition, PartitionBuffer> e : buffers.entrySet()) {
            QueuePartition qp = e.getKey();
            List<SealedBatch> batches = e.getValue().seal();
            long firstSequence = producerSequence;
            producerSequence += batches.size();
            staged.add(CompletableFuture.supplyAsync(() -> {
                TransactionMarker marker = store.stage(qp.queue(), qp.partition(), id, producerId, firstSequence, batches);
                return new ZkmqCommittable(qp.queue(), qp.partition(), id.name(), marker.attempt(), marker.records(),
                        marker.bytes());
            }, stagers));
        }
        buffers.clear();
        bufferedBytes = 0;
        List<ZkmqCommittable> out = new ArrayList<>(staged.size());
        try {
            for (CompletableFuture<ZkmqCommittable> f : staged) {
                out.add(f.join());
            }
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException("Staging transaction " + id + " failed: " + cause.getMessage(), cause);
        }
        long records = out.stream().mapToLong(ZkmqCommittable::records).sum();
        long bytes = out.stream().mapToLong(ZkmqCommittable::bytes).sum();
        metrics.sent(records, bytes, System.currentTimeMillis() - start);
        return out;
    }

    @Override
    public void close() {
        stagers.shutdownNow();
        buffers.clear();
    }

    /** Sealed batches and the open one of one partition, for the current checkpoint. */
    private static final class PartitionBuffer {
        private final int maxBatchBytes;
        private final List<SealedBatch> sealed = new ArrayList<>();
        private BatchBuilder open;

        PartitionBuffer(int maxBatchBytes) {
            this.maxBatchBytes = maxBatchBytes;
        }

        void add(Record record, String queue, int partition) {
            if (open == null) {
                open = new BatchBuilder(maxBatchBytes, Math.min(maxBatchBytes, 64 * 1024));
            }
            try {
                if (!open.tryAppend(record)) {
                    sealed.add(open.seal());
                    open = new BatchBuilder(maxBatchBytes, Math.min(maxBatchBytes, 64 * 1024));
                    open.tryAppend(record); // fits: an empty batch takes any record that is not too large
                }
            } catch (RecordTooLargeException e) {
                throw new RecordTooLargeException("Queue '" + queue + "' partition " + partition + ": " + e.getMessage());
            }
        }

        List<SealedBatch> seal() {
            if (open != null && !open.isEmpty()) {
                sealed.add(open.seal());
            }
            open = null;
            return sealed;
        }
    }
}
