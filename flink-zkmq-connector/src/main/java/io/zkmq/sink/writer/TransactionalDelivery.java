package io.zkmq.sink.writer;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.error.RecordTooLargeException;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.Record;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.sink.ZkmqSinkConfig;
import io.zkmq.sink.committer.ZkmqCommittable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * EXACTLY_ONCE: records are packed into batches per partition in memory; {@link #prepareCommit}
 * stages each partition's batches as one transaction (all partitions in parallel) and returns one
 * committable per partition. A writer holding more than {@code sink.transaction.max-buffered-bytes}
 * stages what it has early, into the same transactions (still invisible), so a slow or late
 * checkpoint costs no memory and fails nothing. A failed writer leaves behind only staged
 * transactions, which a restore aborts.
 */
final class TransactionalDelivery implements Delivery {
    private final ZkmqClient client;
    private final ZkmqSinkConfig config;
    private final SendMetrics metrics;
    private final int subtask;
    private final UUID producerId = UUID.randomUUID();
    private final Map<QueuePartition, PartitionBuffer> buffers = new TreeMap<>();

    /** Transactions of the coming checkpoint staged early, by partition. */
    private final Map<QueuePartition, TransactionMarker> staged = new TreeMap<>();

    private final LongSupplier transactionCheckpointId;
    private final ExecutorService stagers;
    private final Set<String> joinedMaintenance = new HashSet<>();
    private long producerSequence;
    private long bufferedBytes;

    TransactionalDelivery(
            ZkmqClient client,
            ZkmqSinkConfig config,
            SendMetrics metrics,
            int subtask,
            LongSupplier transactionCheckpointId) {
        this.transactionCheckpointId = transactionCheckpointId;
        this.client = client;
        this.config = config;
        this.metrics = metrics;
        this.subtask = subtask;
        this.stagers =
                Executors.newFixedThreadPool(
                        4,
                        r -> {
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
            buffer =
                    new PartitionBuffer(
                            client.currentConfig(queue)
                                    .config()
                                    .maxBatchBytes()); // fails if it is missing
            if (joinedMaintenance.add(queue)) {
                // Writers stand for the job in the queue's maintenance election (retention,
                // transaction
                // clean-up), as the client producer does for at-least-once.
                client.joinMaintenance(
                        queue,
                        new MaintenanceLeader.Settings(client.options().maintenanceInterval()));
            }
            buffers.put(key, buffer);
        }
        buffer.add(record, queue, partition);
        bufferedBytes += BatchBuilder.encodedSize(record, record.timestamp());
        if (bufferedBytes > config.maxBufferedBytes()) {
            stageBuffered(
                    new TransactionId(
                            config.transactionalIdPrefix(),
                            subtask,
                            transactionCheckpointId.getAsLong()));
        }
    }

    @Override
    public void flush(boolean endOfInput) {
        // Staging happens in prepareCommit, which always follows.
    }

    @Override
    public List<ZkmqCommittable> prepareCommit(long checkpointTransaction) throws IOException {
        stageBuffered(
                new TransactionId(config.transactionalIdPrefix(), subtask, checkpointTransaction));
        List<ZkmqCommittable> out = new ArrayList<>(staged.size());
        staged.forEach(
                (qp, marker) ->
                        out.add(
                                new ZkmqCommittable(
                                        qp.queue(),
                                        qp.partition(),
                                        marker.id().name(),
                                        marker.attempt(),
                                        marker.records(),
                                        marker.bytes())));
        staged.clear();
        return out;
    }

    /**
     * Stages every buffered batch into the partitions' transactions {@code id}, all partitions in
     * parallel.
     */
    private void stageBuffered(TransactionId id) throws IOException {
        if (buffers.isEmpty()) {
            return;
        }
        long start = System.currentTimeMillis();
        TransactionStore store = client.transactions();
        Map<QueuePartition, CompletableFuture<TransactionMarker>> futures = new TreeMap<>();
        long records = 0;
        long bytes = 0;
        for (Map.Entry<QueuePartition, PartitionBuffer> e : buffers.entrySet()) {
            QueuePartition qp = e.getKey();
            List<SealedBatch> batches = e.getValue().seal();
            if (batches.isEmpty()) {
                continue;
            }
            for (SealedBatch b : batches) {
                records += b.recordCount();
                bytes += b.sizeInBytes();
            }
            long firstSequence = producerSequence;
            producerSequence += batches.size();
            TransactionMarker earlier = staged.get(qp);
            // Staging retries transient ZooKeeper failures as often as the committer retries
            // commits.
            int retries = config.commitRetries();
            futures.put(
                    qp,
                    CompletableFuture.supplyAsync(
                            () ->
                                    earlier == null
                                            ? store.stage(
                                                    qp.queue(),
                                                    qp.partition(),
                                                    id,
                                                    TransactionStore.newAttempt(),
                                                    producerId,
                                                    firstSequence,
                                                    batches,
                                                    retries)
                                            : store.stageMore(
                                                    qp.queue(),
                                                    qp.partition(),
                                                    earlier,
                                                    producerId,
                                                    firstSequence,
                                                    batches,
                                                    retries),
                            stagers));
        }
        buffers.clear();
        bufferedBytes = 0;
        try {
            for (Map.Entry<QueuePartition, CompletableFuture<TransactionMarker>> f :
                    futures.entrySet()) {
                staged.put(f.getKey(), f.getValue().join());
            }
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(
                    "Staging transaction " + id + " failed: " + cause.getMessage(), cause);
        }
        metrics.sent(records, bytes, System.currentTimeMillis() - start);
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
            // (an empty builder takes any record that is not too large)
            if (open == null) {
                open = new BatchBuilder(maxBatchBytes, Math.min(maxBatchBytes, 64 * 1024));
            }
            try {
                if (!open.tryAppend(record)) {
                    sealed.add(open.seal());
                    open = new BatchBuilder(maxBatchBytes, Math.min(maxBatchBytes, 64 * 1024));
                    open.tryAppend(
                            record); // fits: an empty batch takes any record that is not too large
                }
            } catch (RecordTooLargeException e) {
                throw new RecordTooLargeException(
                        "Queue '" + queue + "' partition " + partition + ": " + e.getMessage());
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
