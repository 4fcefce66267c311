package io.zkmq.sink.writer;

import io.zkmq.client.RecordMetadata;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.error.RecordTooLargeException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.Record;
import io.zkmq.sink.ZkmqSinkConfig;
import io.zkmq.sink.committer.ZkmqCommittable;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * NONE and AT_LEAST_ONCE: records go to the client producer of their queue (batched by size and
 * linger). At-least-once flushes on every checkpoint and fails on the first failed record; NONE
 * only flushes at end of input and, if the user chose so, counts failed records instead of failing.
 */
final class AppendingDelivery implements Delivery {
    private final ZkmqClient client;
    private final ZkmqSinkConfig config;
    private final SendMetrics metrics;
    private final Map<String, ZkmqProducer> producers = new HashMap<>();
    private final AtomicReference<Throwable> asyncError = new AtomicReference<>();

    AppendingDelivery(ZkmqClient client, ZkmqSinkConfig config, SendMetrics metrics) {
        this.client = client;
        this.config = config;
        this.metrics = metrics;
    }

    @Override
    public void write(String queue, int partition, Record record) throws IOException {
        checkAsyncError();
        ZkmqProducer producer =
                producers.computeIfAbsent(queue, q -> client.producer(q, config.producer()));
        long sentAt = System.currentTimeMillis();
        int size = BatchBuilder.encodedSize(record, record.timestamp());
        CompletableFuture<RecordMetadata> ack;
        try {
            ack = producer.send(partition, record);
        } catch (RecordTooLargeException e) {
            if (!config.skipFailedRecords()) {
                throw e;
            }
            metrics.failed();
            return;
        }
        ack.whenComplete(
                (meta, error) -> {
                    if (error == null) {
                        metrics.sent(1, size, System.currentTimeMillis() - sentAt);
                    } else if (config.skipFailedRecords()) {
                        metrics.failed();
                    } else {
                        asyncError.compareAndSet(null, error);
                    }
                });
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (config.deliveryGuarantee() == DeliveryGuarantee.NONE && !endOfInput) {
            return;
        }
        for (ZkmqProducer producer : producers.values()) {
            try {
                producer.flush();
            } catch (ZkmqException e) {
                if (!config.skipFailedRecords()) {
                    throw new IOException(
                            "Writing to queue '" + producer.queue() + "' failed: " + e.getMessage(),
                            e);
                }
                // counted in numRecordsOutErrors by the record's callback
            }
        }
        checkAsyncError();
    }

    @Override
    public List<ZkmqCommittable> prepareCommit(long transactionCheckpointId) {
        return List.of();
    }

    private void checkAsyncError() throws IOException {
        Throwable error = asyncError.get();
        if (error != null) {
            throw new IOException("A record could not be written: " + error.getMessage(), error);
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (ZkmqProducer producer : producers.values()) {
            try {
                producer.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        producers.clear();
        if (first != null) {
            throw first;
        }
    }
}
