package io.zkmq.sink;

import io.zkmq.client.ProducerOptions;
import io.zkmq.connector.ZkmqConnectionOptions;
import io.zkmq.connector.ZkmqConnectorBuilder;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.Names;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Builds a {@link ZkmqSink}. Required: ZooKeeper, a queue (or a queue selector) and a record
 * serializer; for exactly-once also a transactional id prefix. Setters validate at once; options
 * can also come from a {@link Configuration} with the keys of {@link ZkmqSinkOptions}. The
 * connection setters ({@code setZookeeper}, {@code setNamespace}, timeouts, {@code setAuth}, {@code
 * setQueueAwaitTimeout}) and {@code setConfiguration} are the ones the source has too, from {@link
 * ZkmqConnectorBuilder}.
 */
@PublicEvolving
public final class ZkmqSinkBuilder<IN> extends ZkmqConnectorBuilder<ZkmqSinkBuilder<IN>> {
    private QueueSelector<IN> queueSelector;
    private ZkmqRecordSerializationSchema<IN> serializer;

    ZkmqSinkBuilder() {}

    /**
     * The queue every record goes to. It must exist when the job starts (see {@link
     * #setQueueAwaitTimeout}).
     */
    public ZkmqSinkBuilder<IN> setQueue(String queue) {
        set(ZkmqSinkOptions.QUEUE, Names.queue(queue));
        return this;
    }

    /** Chooses the queue per record instead of {@link #setQueue}. */
    public ZkmqSinkBuilder<IN> setQueueSelector(QueueSelector<IN> selector) {
        this.queueSelector = Objects.requireNonNull(selector, "queue selector must not be null");
        return this;
    }

    public ZkmqSinkBuilder<IN> setRecordSerializer(ZkmqRecordSerializationSchema<IN> serializer) {
        this.serializer = Objects.requireNonNull(serializer, "record serializer must not be null");
        return this;
    }

    public ZkmqSinkBuilder<IN> setDeliveryGuarantee(DeliveryGuarantee guarantee) {
        set(
                ZkmqSinkOptions.DELIVERY_GUARANTEE,
                Objects.requireNonNull(guarantee, "delivery guarantee must not be null"));
        return this;
    }

    /**
     * Names this sink's transactions (exactly-once). Unique per sink, stable across restarts of the
     * job.
     */
    public ZkmqSinkBuilder<IN> setTransactionalIdPrefix(String prefix) {
        set(ZkmqSinkOptions.TRANSACTIONAL_ID_PREFIX, checkPrefix(prefix));
        return this;
    }

    public ZkmqSinkBuilder<IN> setLinger(Duration linger) {
        if (linger == null || linger.isNegative()) {
            throw new InvalidConfigException("linger must be zero or positive, got " + linger);
        }
        set(ZkmqSinkOptions.LINGER, linger);
        return this;
    }

    public ZkmqSinkBuilder<IN> setDeliveryTimeout(Duration timeout) {
        set(
                ZkmqSinkOptions.DELIVERY_TIMEOUT,
                ZkmqConnectionOptions.positive("delivery timeout", timeout));
        return this;
    }

    /**
     * With {@link DeliveryGuarantee#NONE}: count failed records in numRecordsOutErrors instead of
     * failing.
     */
    public ZkmqSinkBuilder<IN> setSkipFailedRecords(boolean skip) {
        set(ZkmqSinkOptions.SKIP_FAILED_RECORDS, skip);
        return this;
    }

    public ZkmqSinkBuilder<IN> setTransactionAbandonedTimeout(Duration timeout) {
        set(
                ZkmqSinkOptions.TRANSACTION_ABANDONED_TIMEOUT,
                ZkmqConnectionOptions.positive("abandoned-transaction timeout", timeout));
        return this;
    }

    public ZkmqSinkBuilder<IN> setTransactionMaxBufferedBytes(long bytes) {
        set(ZkmqSinkOptions.TRANSACTION_MAX_BUFFERED_BYTES, bytes);
        return this;
    }

    public ZkmqSink<IN> build() {
        Configuration conf = effective();
        var client = ZkmqConnectionOptions.clientOptions(conf);
        String queue = conf.getOptional(ZkmqSinkOptions.QUEUE).map(Names::queue).orElse(null);
        if ((queue == null) == (queueSelector == null)) {
            throw new InvalidConfigException(
                    queue == null
                            ? "No queue to write to: call setQueue(\"orders\") or setQueueSelector(...)"
                            : "Both a queue and a queue selector are set; use one of them");
        }
        if (serializer == null) {
            throw new InvalidConfigException(
                    "No record serializer set: call setRecordSerializer("
                            + "ZkmqRecordSerializationSchema.builder().setValueSerializationSchema(...).build())");
        }
        DeliveryGuarantee guarantee = conf.get(ZkmqSinkOptions.DELIVERY_GUARANTEE);
        String prefix =
                conf.getOptional(ZkmqSinkOptions.TRANSACTIONAL_ID_PREFIX)
                        .map(ZkmqSinkBuilder::checkPrefix)
                        .orElse(null);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE && prefix == null) {
            throw new InvalidConfigException(
                    "EXACTLY_ONCE needs a transactional id prefix: call"
                            + " setTransactionalIdPrefix(\"my-sink\") (or set '"
                            + ZkmqSinkOptions.TRANSACTIONAL_ID_PREFIX.key()
                            + "'). It names this sink's transactions so that a restarted job can find and abort the ones it left"
                            + " unfinished; choose one that no other sink uses and keep it across restarts");
        }
        boolean skip = conf.get(ZkmqSinkOptions.SKIP_FAILED_RECORDS);
        if (skip && guarantee != DeliveryGuarantee.NONE) {
            throw new InvalidConfigException(
                    "'"
                            + ZkmqSinkOptions.SKIP_FAILED_RECORDS.key()
                            + "' only works with"
                            + " delivery guarantee NONE; with "
                            + guarantee
                            + " a failed record always fails the job");
        }
        long maxBuffered = conf.get(ZkmqSinkOptions.TRANSACTION_MAX_BUFFERED_BYTES);
        if (maxBuffered < 1024 * 1024) {
            throw new InvalidConfigException(
                    "'"
                            + ZkmqSinkOptions.TRANSACTION_MAX_BUFFERED_BYTES.key()
                            + "' must be at least 1 MiB, got "
                            + maxBuffered);
        }
        int retries = conf.get(ZkmqSinkOptions.COMMIT_RETRIES);
        if (retries < 0) {
            throw new InvalidConfigException(
                    "'" + ZkmqSinkOptions.COMMIT_RETRIES.key() + "' must be >= 0, got " + retries);
        }
        ProducerOptions producer =
                ProducerOptions.builder()
                        .linger(conf.get(ZkmqSinkOptions.LINGER))
                        .bufferBytes(conf.get(ZkmqSinkOptions.BUFFER_BYTES))
                        .deliveryTimeout(
                                ZkmqConnectionOptions.positive(
                                        "delivery timeout",
                                        conf.get(ZkmqSinkOptions.DELIVERY_TIMEOUT)))
                        .build();
        ZkmqSinkConfig config =
                new ZkmqSinkConfig(
                        client,
                        queue,
                        guarantee,
                        prefix,
                        producer,
                        skip,
                        maxBuffered,
                        ZkmqConnectionOptions.positive(
                                "abandoned-transaction timeout",
                                conf.get(ZkmqSinkOptions.TRANSACTION_ABANDONED_TIMEOUT)),
                        retries,
                        ZkmqConnectionOptions.notNegative(
                                "'" + ZkmqSinkOptions.QUEUE_AWAIT_TIMEOUT.key() + "'",
                                conf.get(ZkmqSinkOptions.QUEUE_AWAIT_TIMEOUT)));
        QueueSelector<IN> selector =
                queueSelector != null ? queueSelector : new FixedQueue<>(queue);
        return new ZkmqSink<>(config, selector, serializer);
    }

    private static String checkPrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new InvalidConfigException("The transactional id prefix must not be empty");
        }
        try {
            return Names.member(prefix);
        } catch (RuntimeException e) {
            throw new InvalidConfigException(
                    "Invalid transactional id prefix '" + prefix + "': " + e.getMessage());
        }
    }

    private record FixedQueue<IN>(String queue) implements QueueSelector<IN> {
        @Override
        public String queue(IN element) {
            return queue;
        }
    }
}
