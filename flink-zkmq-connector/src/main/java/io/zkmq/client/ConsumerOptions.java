package io.zkmq.client;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.Names;
import io.zkmq.queue.StartingPosition;
import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.annotation.PublicEvolving;

/** Settings of a {@link ZkmqConsumer}. Immutable; built by a validating builder. */
@PublicEvolving
public final class ConsumerOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What to do when a position was trimmed by retention. */
    public enum OutOfRange {
        /**
         * Throw {@link io.zkmq.error.OffsetOutOfRangeException} from poll (default: nothing is
         * skipped silently).
         */
        FAIL,
        /** Continue from the earliest retained record, logging how many offsets were skipped. */
        RESET_TO_EARLIEST
    }

    private final String group;
    private final String memberId;
    private final StartingPosition startWithoutCommit;
    private final OutOfRange outOfRange;
    private final int prefetchBatches;
    private final int maxPollRecords;
    private final Duration lockTimeout;
    private final boolean joinMaintenance;

    private ConsumerOptions(Builder b) {
        this.group = b.group;
        this.memberId = b.memberId == null ? UUID.randomUUID().toString() : b.memberId;
        this.startWithoutCommit = b.startWithoutCommit;
        this.outOfRange = b.outOfRange;
        this.prefetchBatches = b.prefetchBatches;
        this.maxPollRecords = b.maxPollRecords;
        this.lockTimeout = b.lockTimeout;
        this.joinMaintenance = b.joinMaintenance;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The consumer group, if the consumer takes part in one. */
    public Optional<String> group() {
        return Optional.ofNullable(group);
    }

    public String memberId() {
        return memberId;
    }

    public StartingPosition startWithoutCommit() {
        return startWithoutCommit;
    }

    public OutOfRange outOfRange() {
        return outOfRange;
    }

    public int prefetchBatches() {
        return prefetchBatches;
    }

    public int maxPollRecords() {
        return maxPollRecords;
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    public boolean joinMaintenance() {
        return joinMaintenance;
    }

    /** Validating builder. */
    public static final class Builder {
        private String group;
        private String memberId;
        private StartingPosition startWithoutCommit = StartingPosition.earliest();
        private OutOfRange outOfRange = OutOfRange.FAIL;
        private int prefetchBatches = 4;
        private int maxPollRecords = 10_000;
        private Duration lockTimeout = Duration.ofSeconds(60);
        private boolean joinMaintenance = true;

        private Builder() {}

        /**
         * Join this consumer group: partitions are shared among its members, offsets are committed.
         */
        public Builder group(String group) {
            this.group = group == null ? null : Names.group(group);
            return this;
        }

        /**
         * The member (and lock owner) id; default a random UUID. Reuse it to take over your own
         * stale locks at once.
         */
        public Builder memberId(String memberId) {
            this.memberId = Names.member(memberId);
            return this;
        }

        /**
         * Where a group member starts in a partition without a committed offset (default earliest).
         */
        public Builder startWithoutCommit(StartingPosition start) {
            if (start == null || !(start.isEarliest() || start.isLatest())) {
                throw new InvalidConfigException(
                        "startWithoutCommit must be earliest or latest, got " + start);
            }
            this.startWithoutCommit = start;
            return this;
        }

        public Builder outOfRange(OutOfRange outOfRange) {
            this.outOfRange = java.util.Objects.requireNonNull(outOfRange, "outOfRange");
            return this;
        }

        /** Batches fetched ahead per partition (default 4). */
        public Builder prefetchBatches(int prefetchBatches) {
            if (prefetchBatches < 1 || prefetchBatches > 64) {
                throw new InvalidConfigException(
                        "prefetchBatches must be between 1 and 64, got " + prefetchBatches);
            }
            this.prefetchBatches = prefetchBatches;
            return this;
        }

        /** Upper bound on the records one poll returns (whole batches are split as needed). */
        public Builder maxPollRecords(int maxPollRecords) {
            if (maxPollRecords < 1) {
                throw new InvalidConfigException(
                        "maxPollRecords must be positive, got " + maxPollRecords);
            }
            this.maxPollRecords = maxPollRecords;
            return this;
        }

        /** How long a member waits for a partition another owner still holds before poll fails. */
        public Builder lockTimeout(Duration lockTimeout) {
            if (lockTimeout == null || lockTimeout.isNegative() || lockTimeout.isZero()) {
                throw new InvalidConfigException(
                        "lockTimeout must be positive, got " + lockTimeout);
            }
            this.lockTimeout = lockTimeout;
            return this;
        }

        public Builder joinMaintenance(boolean joinMaintenance) {
            this.joinMaintenance = joinMaintenance;
            return this;
        }

        public ConsumerOptions build() {
            return new ConsumerOptions(this);
        }
    }
}
