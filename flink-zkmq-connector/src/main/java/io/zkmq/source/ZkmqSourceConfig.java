package io.zkmq.source;

import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.queue.StartingPosition;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.flink.annotation.Internal;

/**
 * Everything a ZKMQ source needs besides its deserializer, validated by {@link ZkmqSourceBuilder}.
 * Immutable and serializable: it travels to the enumerator and every reader.
 */
@Internal
public final class ZkmqSourceConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ZkmqClientOptions client;
    private final List<String> queues;
    private final String queuePattern;
    private final String group;
    private final String ownerId;
    private final StartingPosition start;
    private final StoppingPosition stop;
    private final Duration lockTimeout;
    private final boolean commitOffsets;
    private final Duration idleTimeout;
    private final int prefetchBatches;
    private final boolean skipDeserializationErrors;
    private final boolean resetOutOfRange;
    private final Duration queueAwaitTimeout;

    ZkmqSourceConfig(
            ZkmqClientOptions client,
            List<String> queues,
            String queuePattern,
            String group,
            String ownerId,
            StartingPosition start,
            StoppingPosition stop,
            Duration lockTimeout,
            boolean commitOffsets,
            Duration idleTimeout,
            int prefetchBatches,
            boolean skipDeserializationErrors,
            boolean resetOutOfRange,
            Duration queueAwaitTimeout) {
        this.client = client;
        this.queues = List.copyOf(queues);
        this.queuePattern = queuePattern;
        this.group = group;
        this.ownerId = ownerId;
        this.start = start;
        this.stop = stop;
        this.lockTimeout = lockTimeout;
        this.commitOffsets = commitOffsets;
        this.idleTimeout = idleTimeout;
        this.prefetchBatches = prefetchBatches;
        this.skipDeserializationErrors = skipDeserializationErrors;
        this.resetOutOfRange = resetOutOfRange;
        this.queueAwaitTimeout = queueAwaitTimeout;
    }

    public ZkmqClientOptions client() {
        return client;
    }

    /** The named queues (sorted), empty when a pattern is used. */
    public List<String> queues() {
        return queues;
    }

    /** The queue name pattern, if queues are selected by pattern. */
    public Optional<Pattern> queuePattern() {
        return Optional.ofNullable(queuePattern).map(Pattern::compile);
    }

    public String group() {
        return group;
    }

    public Optional<String> ownerId() {
        return Optional.ofNullable(ownerId);
    }

    public StartingPosition start() {
        return start;
    }

    public StoppingPosition stop() {
        return stop;
    }

    public Duration lockTimeout() {
        return lockTimeout;
    }

    public boolean commitOffsets() {
        return commitOffsets;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public int prefetchBatches() {
        return prefetchBatches;
    }

    public boolean skipDeserializationErrors() {
        return skipDeserializationErrors;
    }

    public boolean resetOutOfRange() {
        return resetOutOfRange;
    }

    /**
     * How long the enumerator waits at start for a named queue to be created (zero: not at all).
     */
    public Duration queueAwaitTimeout() {
        return queueAwaitTimeout;
    }

    @Override
    public String toString() {
        return "ZkmqSourceConfig{"
                + client
                + ", "
                + (queuePattern != null ? "pattern " + queuePattern : "queues " + queues)
                + ", group "
                + group
                + ", start "
                + start
                + ", stop "
                + stop
                + "}";
    }
}
