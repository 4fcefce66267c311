package io.zkmq.sink;

import io.zkmq.client.ProducerOptions;
import io.zkmq.client.ZkmqClientOptions;
import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Everything a ZKMQ sink needs besides its serializer, validated by {@link ZkmqSinkBuilder}. */
@Internal
public record ZkmqSinkConfig(
        ZkmqClientOptions client,
        String queue,
        DeliveryGuarantee deliveryGuarantee,
        String transactionalIdPrefix,
        ProducerOptions producer,
        boolean skipFailedRecords,
        long maxBufferedBytes,
        Duration abandonedTimeout,
        int commitRetries,
        Duration queueAwaitTimeout)
        implements Serializable {

    /** The fixed queue, if no selector chooses per record. */
    public Optional<String> fixedQueue() {
        return Optional.ofNullable(queue);
    }

    public boolean exactlyOnce() {
        return deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE;
    }
}
