package io.zkmq.client;

import io.zkmq.error.InvalidConfigException;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Batching, buffering and timeout settings of a producer. Immutable; built by a validating builder.
 */
@PublicEvolving
public final class ProducerOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int batchBytes;
    private final Duration linger;
    private final long bufferBytes;
    private final Duration maxBlock;
    private final Duration deliveryTimeout;
    private final boolean joinMaintenance;

    private ProducerOptions(Builder b) {
        this.batchBytes = b.batchBytes;
        this.linger = b.linger;
        this.bufferBytes = b.bufferBytes;
        this.maxBlock = b.maxBlock;
        this.deliveryTimeout = b.deliveryTimeout;
        this.joinMaintenance = b.joinMaintenance;
    }

    public static ProducerOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Target batch size; 0 means the queue's maxBatchBytes. Never above the queue's limit. */
    public int batchBytes() {
        return batchBytes;
    }

    public Duration linger() {
        return linger;
    }

    public long bufferBytes() {
        return bufferBytes;
    }

    public Duration maxBlock() {
        return maxBlock;
    }

    public Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    public boolean joinMaintenance() {
        return joinMaintenance;
    }

    /** Validating builder. */
    public static final class Builder {
        private int batchBytes;
        private Duration linger = Duration.ofMillis(5);
        private long bufferBytes = 64L * 1024 * 1024;
        private Duration maxBlock = Duration.ofSeconds(60);
        private Duration deliveryTimeout = Duration.ofMinutes(2);
        private boolean joinMaintenance = true;

        private Builder() {}

        /**
         * Seal a batch once it holds this many bytes (0 = the queue's maxBatchBytes, the default).
         */
        public Builder batchBytes(int batchBytes) {
            if (batchBytes < 0) {
                throw new InvalidConfigException(
                        "batchBytes must be >= 0 (0 = the queue's maxBatchBytes), got "
                                + batchBytes);
            }
            this.batchBytes = batchBytes;
            return this;
        }

        /** How long a batch waits for more records before it is sent (default 5 ms). */
        public Builder linger(Duration linger) {
            if (linger == null || linger.isNegative()) {
                throw new InvalidConfigException("linger must be >= 0, got " + linger);
            }
            this.linger = linger;
            return this;
        }

        /**
         * Bytes of unacknowledged records the producer may hold before send() blocks
         * (back-pressure).
         */
        public Builder bufferBytes(long bufferBytes) {
            if (bufferBytes < 1024 * 1024) {
                throw new InvalidConfigException(
                        "bufferBytes must be at least 1 MiB, got " + bufferBytes);
            }
            this.bufferBytes = bufferBytes;
            return this;
        }

        /** How long send() may block on a full buffer before it throws. */
        public Builder maxBlock(Duration maxBlock) {
            if (maxBlock == null || maxBlock.isNegative()) {
                throw new InvalidConfigException("maxBlock must be >= 0, got " + maxBlock);
            }
            this.maxBlock = maxBlock;
            return this;
        }

        /**
         * Upper bound on the time from sealing a batch (full, lingered or flushed) to its
         * acknowledgement, retries included. A request in flight is not awaited past it. A batch
         * whose last append had an unknown outcome is then read back for at most the client's
         * connection timeout more, and fails with {@code DeliveryOutcomeUnknownException} if that
         * does not settle it; any other failure means its records were not written.
         */
        public Builder deliveryTimeout(Duration deliveryTimeout) {
            if (deliveryTimeout == null
                    || deliveryTimeout.isNegative()
                    || deliveryTimeout.isZero()) {
                throw new InvalidConfigException(
                        "deliveryTimeout must be positive, got " + deliveryTimeout);
            }
            this.deliveryTimeout = deliveryTimeout;
            return this;
        }

        /**
         * Whether this producer's client takes part in the queue's retention leader election
         * (default true).
         */
        public Builder joinMaintenance(boolean joinMaintenance) {
            this.joinMaintenance = joinMaintenance;
            return this;
        }

        public ProducerOptions build() {
            return new ProducerOptions(this);
        }
    }
}
