package io.zkmq.client;

import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.coordination.MemberRegistration;
import io.zkmq.coordination.QueueConfigWatcher;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.QuotaExceededException;
import io.zkmq.error.RecordTooLargeException;
import io.zkmq.error.ZkmqException;
import io.zkmq.error.ZkmqTimeoutException;
import io.zkmq.hashing.KeyRouter;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Appends records to one queue. {@link #send} is asynchronous: records are batched per partition
 * (by bytes and linger time) and the returned future completes once the batch is durable in
 * ZooKeeper. Keys are routed by jump consistent hash over xxh3_64 of the key bytes ({@link
 * KeyRouter}), null keys round-robin, or the caller names the partition. A bounded buffer applies
 * back-pressure: send() blocks while it is full, up to {@code maxBlock}. Thread-safe.
 *
 * <p>While open, the producer is registered as a live member ({@code members/producer/<id>}), and
 * follows the queue's config watch: added partitions are used as soon as the watch reports them.
 */
@PublicEvolving
public final class ZkmqProducer implements AutoCloseable {
    private static final KeyRouter ROUTER = new KeyRouter();

    private final ZkmqClient client;
    private final String queue;
    private final ProducerOptions options;
    private final UUID producerId = UUID.randomUUID();
    private final AtomicLong producerSequence = new AtomicLong();
    private final Semaphore buffer;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicReference<ZkmqException> firstError = new AtomicReference<>();
    private final AtomicLong recordsSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final QueueConfigWatcher watcher;
    private final Consumer<Optional<QueueMetadata>> configListener = this::onConfig;
    private final MemberRegistration member;
    private final Context context = new Context();
    private final ScheduledThreadPoolExecutor watchdogs;
    private final int segmentBatches;
    private final int maxBatchBytes;
    private volatile PartitionAppender[] appenders;
    private volatile boolean queueDeleted;

    ZkmqProducer(ZkmqClient client, String queue, ProducerOptions options) {
        this.client = client;
        this.queue = queue;
        this.options = options;
        this.buffer = new Semaphore((int) Math.min(Integer.MAX_VALUE, options.bufferBytes()));
        this.watchdogs =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "zkmq-producer-deadlines-" + queue);
                            t.setDaemon(true);
                            return t;
                        });
        watchdogs.setRemoveOnCancelPolicy(true); // one per in-flight batch, almost all cancelled
        this.watcher = client.configWatcher(queue);
        QueueConfig config = client.currentConfig(queue).config();
        this.segmentBatches = config.segmentBatches();
        this.maxBatchBytes = config.maxBatchBytes();
        this.appenders = new PartitionAppender[0];
        // Listen before reading the partition count: a change between the two is then never missed.
        watcher.addListener(configListener);
        growTo(client.currentConfig(queue).config().partitions());
        this.member =
                MemberRegistration.forRole(
                        client.curator(), queue, "producer", producerId.toString());
        member.start();
        if (options.joinMaintenance()) {
            client.joinMaintenance(
                    queue, new MaintenanceLeader.Settings(client.options().maintenanceInterval()));
        }
    }

    public String queue() {
        return queue;
    }

    public UUID producerId() {
        return producerId;
    }

    /** The number of partitions the producer currently routes to. */
    public int partitions() {
        return appenders.length;
    }

    /** Sends a record routed by its key (null key: round-robin). */
    public CompletableFuture<RecordMetadata> send(Record record) {
        int partitions = appenders.length;
        int partition =
                record.key() == null
                        ? Math.floorMod(roundRobin.getAndIncrement(), partitions)
                        : ROUTER.partitionFor(record.key(), partitions);
        return send(partition, record);
    }

    /** Sends a record to the given partition. */
    public CompletableFuture<RecordMetadata> send(int partition, Record record) {
        checkOpen();
        PartitionAppender[] current = appenders;
        if (partition >= current.length && partition >= 0) {
            // The config watch may not have delivered a just-added partition yet: ask ZooKeeper.
            growTo(client.admin().readConfig(queue).config().partitions());
            current = appenders;
        }
        if (partition < 0 || partition >= current.length) {
            throw new IllegalArgumentException(
                    "Queue '"
                            + queue
                            + "' has partitions 0.."
                            + (current.length - 1)
                            + "; cannot send to partition "
                            + partition);
        }
        int size = BatchBuilder.encodedSize(record, record.timestamp());
        if (size > BatchBuilder.maxRecordBytes(maxBatchBytes)) {
            throw new RecordTooLargeException(
                    "Record of "
                            + size
                            + " encoded bytes for queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " exceeds the queue's limit of "
                            + BatchBuilder.maxRecordBytes(maxBatchBytes)
                            + " bytes per record (maxBatchBytes "
                            + maxBatchBytes
                            + " minus the batch header); raise maxBatchBytes"
                            + " (at most "
                            + QueueConfig.MAX_BATCH_BYTES_LIMIT
                            + ") or send smaller records");
        }
        reserve(size);
        try {
            CompletableFuture<RecordMetadata> ack = current[partition].append(record, size);
            return quotaBytes().isPresent() ? namingQuota(ack) : ack;
        } catch (RuntimeException e) {
            buffer.release(size);
            throw e;
        }
    }

    /**
     * Sends everything buffered and waits until it is acknowledged (at most the delivery timeout
     * plus the read-back margin, see {@link ProducerOptions.Builder#deliveryTimeout}). Throws the
     * first error of any record sent since the previous flush, so a caller that flushes (as a Flink
     * sink does on checkpoints) never misses a failed record.
     */
    public void flush() {
        try {
            sealAll().get(completionBoundMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ZkmqTimeoutException(
                    "Flush of queue '"
                            + queue
                            + "' did not complete within the delivery timeout of "
                            + options.deliveryTimeout().toMillis()
                            + " ms plus the read-back margin of "
                            + client.options().connectionTimeout().toMillis()
                            + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkmqException("Interrupted while flushing queue '" + queue + "'", e);
        } catch (ExecutionException e) {
            throw new ZkmqException("Flush of queue '" + queue + "' failed", e.getCause());
        }
        ZkmqException error = firstError.getAndSet(null);
        if (error != null) {
            throw new ZkmqException(
                    "A record sent to queue '" + queue + "' failed: " + error.getMessage(), error);
        }
    }

    /** Records acknowledged so far. */
    public long recordsSent() {
        return recordsSent.get();
    }

    /** Batch bytes acknowledged so far. */
    public long bytesSent() {
        return bytesSent.get();
    }

    private void reserve(int size) {
        int permits = Math.min(size, (int) Math.min(Integer.MAX_VALUE, options.bufferBytes()));
        try {
            if (!buffer.tryAcquire(permits, options.maxBlock().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ZkmqTimeoutException(
                        "Producer buffer of "
                                + options.bufferBytes()
                                + " bytes for queue '"
                                + queue
                                + "' stayed full for maxBlock "
                                + options.maxBlock().toMillis()
                                + " ms: ZooKeeper does not keep up"
                                + " or is unreachable");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkmqException(
                    "Interrupted while waiting for producer buffer space for queue '" + queue + "'",
                    e);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Producer for queue '" + queue + "' is closed");
        }
        client.checkBackgroundErrors();
        if (queueDeleted) {
            throw new QueueNotFoundException(
                    "Queue '" + queue + "' was deleted while the producer was open");
        }
    }

    /** A background failure of the client: a pending send may never be answered, so fail all. */
    void failPending(ZkmqException error) {
        for (PartitionAppender appender : appenders) {
            appender.failEverything(error);
        }
    }

    private void onConfig(Optional<QueueMetadata> meta) {
        if (meta.isEmpty()) {
            queueDeleted = true;
            if (member != null) {
                member.close();
            } // else its re-creation would bring the deleted queue's znodes back
            return;
        }
        queueDeleted = false;
        growTo(meta.get().config().partitions());
    }

    private OptionalLong quotaBytes() {
        return watcher.current()
                .map(m -> m.config().effectiveQuotaBytes())
                .orElse(OptionalLong.empty());
    }

    /**
     * A quota refusal with the queue's budget named (the appender knows the queue, not its config),
     * and for a tiered queue why its hot tail is full.
     */
    private ZkmqException namingQuota(ZkmqException error) {
        OptionalLong budget = quotaBytes();
        if (error instanceof QuotaExceededException q
                && q.quotaBytes().isEmpty()
                && budget.isPresent()) {
            Optional<String> tier = watcher.current().flatMap(m -> m.config().tierUri());
            return tier.isPresent()
                    ? q.inHotTail(budget.getAsLong(), tier.get())
                    : q.withQuota(budget.getAsLong());
        }
        return error;
    }

    private CompletableFuture<RecordMetadata> namingQuota(CompletableFuture<RecordMetadata> ack) {
        // Completed by hand, not by a dependent stage, so callers see the exception itself, not
        // wrapped.
        CompletableFuture<RecordMetadata> named = new CompletableFuture<>();
        ack.whenComplete(
                (metadata, error) -> {
                    if (error == null) {
                        named.complete(metadata);
                    } else {
                        named.completeExceptionally(
                                error instanceof ZkmqException z ? namingQuota(z) : error);
                    }
                });
        return named;
    }

    private synchronized void growTo(int partitions) {
        PartitionAppender[] current = appenders;
        if (partitions <= current.length) {
            return;
        }
        int target = options.batchBytes() == 0 ? maxBatchBytes : options.batchBytes();
        PartitionAppender[] grown = java.util.Arrays.copyOf(current, partitions);
        for (int p = current.length; p < partitions; p++) {
            grown[p] =
                    new PartitionAppender(
                            context,
                            new QueuePartition(queue, p),
                            segmentBatches,
                            maxBatchBytes,
                            target);
        }
        appenders = grown;
    }

    /** Flushes (bounded by the delivery timeout) and leaves the member registry. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            flushQuietly();
        } finally {
            watcher.removeListener(configListener);
            member.close();
            client.unregister(this);
            watchdogs.shutdownNow();
        }
    }

    private void flushQuietly() {
        try {
            sealAll().get(completionBoundMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Failures were already reported through each record's future.
        }
    }

    /**
     * Every future completes by then after its batch was sealed: the delivery timeout, plus the
     * read-back margin (the connection timeout) for a batch whose last append had an unknown
     * outcome.
     */
    private long completionBoundMillis() {
        return options.deliveryTimeout().toMillis()
                + client.options().connectionTimeout().toMillis();
    }

    /** Seals every open batch; the future completes when all batches sent so far have completed. */
    private CompletableFuture<Void> sealAll() {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (PartitionAppender a : appenders) {
            waits.add(a.flush());
        }
        return CompletableFuture.allOf(waits.toArray(new CompletableFuture[0]));
    }

    @Override
    public String toString() {
        return "ZkmqProducer[" + queue + ", " + producerId + "]";
    }

    private final class Context implements ProducerContext {
        @Override
        public CuratorFramework curator() {
            return client.curator();
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return client.scheduler();
        }

        @Override
        public ScheduledExecutorService watchdogs() {
            return watchdogs;
        }

        @Override
        public UUID producerId() {
            return producerId;
        }

        @Override
        public long nextProducerSequence() {
            return producerSequence.incrementAndGet();
        }

        @Override
        public long lingerMillis() {
            return options.linger().toMillis();
        }

        @Override
        public long deliveryTimeoutNanos() {
            return options.deliveryTimeout().toNanos();
        }

        @Override
        public long requestTimeoutNanos() {
            return client.options().connectionTimeout().toNanos();
        }

        @Override
        public long resolveMarginNanos() {
            return client.options().connectionTimeout().toNanos();
        }

        @Override
        public void release(long bytes) {
            buffer.release((int) Math.min(Integer.MAX_VALUE, bytes));
        }

        @Override
        public void recordAcknowledged(int records, int bytes) {
            recordsSent.addAndGet(records);
            bytesSent.addAndGet(bytes);
        }

        @Override
        public void recordFailure(ZkmqException error) {
            firstError.compareAndSet(null, namingQuota(error));
        }
    }
}
