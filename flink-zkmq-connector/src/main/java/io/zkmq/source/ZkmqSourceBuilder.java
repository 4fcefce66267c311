package io.zkmq.source;

import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.connector.ZkmqConnectionOptions;
import io.zkmq.connector.ZkmqConnectorBuilder;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.Names;
import io.zkmq.queue.StartingPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;

/**
 * Builds a {@link ZkmqSource}. Required: ZooKeeper, queues (names or a pattern), a group and a
 * deserializer. Every setter validates at once; {@link #build()} checks what must go together.
 * Options can also come from a {@link Configuration} (job parameters, SQL) with the keys of {@link
 * ZkmqSourceOptions}; explicit setters win. The connection setters ({@code setZookeeper}, {@code
 * setNamespace}, timeouts, {@code setAuth}, {@code setQueueAwaitTimeout}) and {@code
 * setConfiguration} are the ones the sink has too, from {@link ZkmqConnectorBuilder}.
 */
@PublicEvolving
public final class ZkmqSourceBuilder<OUT> extends ZkmqConnectorBuilder<ZkmqSourceBuilder<OUT>> {
    private StartingPosition start;
    private StoppingPosition stop;
    private ZkmqRecordDeserializationSchema<OUT> deserializer;
    private RateLimiterStrategy<?> rateLimiter;

    ZkmqSourceBuilder() {}

    /** One or more queue names; each partition of each is a split. */
    public ZkmqSourceBuilder<OUT> setQueues(String... queues) {
        if (queues == null || queues.length == 0) {
            throw new InvalidConfigException("setQueues needs at least one queue name");
        }
        for (String q : queues) {
            Names.queue(q);
        }
        set(ZkmqSourceOptions.QUEUES, String.join(",", queues));
        return this;
    }

    /** Reads every queue whose whole name matches, including queues created while the job runs. */
    public ZkmqSourceBuilder<OUT> setQueuePattern(String regex) {
        compile(regex);
        set(ZkmqSourceOptions.QUEUE_PATTERN, regex);
        return this;
    }

    public ZkmqSourceBuilder<OUT> setGroup(String group) {
        set(ZkmqSourceOptions.GROUP, Names.group(group));
        return this;
    }

    /** Owner identity in the partition locks (default: the Flink job id). */
    public ZkmqSourceBuilder<OUT> setOwnerId(String ownerId) {
        if (ownerId == null || ownerId.isBlank()) {
            throw new InvalidConfigException("setOwnerId needs a non-empty id");
        }
        set(ZkmqSourceOptions.OWNER_ID, ownerId);
        return this;
    }

    public ZkmqSourceBuilder<OUT> setStartingPosition(StartingPosition start) {
        this.start = Objects.requireNonNull(start, "starting position must not be null");
        return this;
    }

    /** Makes the source bounded: it finishes once every split reached its stopping position. */
    public ZkmqSourceBuilder<OUT> setBounded(StoppingPosition stop) {
        this.stop = Objects.requireNonNull(stop, "stopping position must not be null");
        return this;
    }

    public ZkmqSourceBuilder<OUT> setLockTimeout(Duration timeout) {
        set(ZkmqSourceOptions.LOCK_TIMEOUT, positive("lock timeout", timeout));
        return this;
    }

    public ZkmqSourceBuilder<OUT> setCommitOffsetsOnCheckpoint(boolean commit) {
        set(ZkmqSourceOptions.COMMIT_OFFSETS, commit);
        return this;
    }

    /** Marks a reader idle after its splits were caught up this long; zero disables. */
    public ZkmqSourceBuilder<OUT> setIdleTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new InvalidConfigException(
                    "idle timeout must be zero (off) or positive, got " + timeout);
        }
        set(ZkmqSourceOptions.IDLE_TIMEOUT, timeout);
        return this;
    }

    public ZkmqSourceBuilder<OUT> setPrefetchBatches(int batches) {
        set(ZkmqSourceOptions.PREFETCH_BATCHES, batches);
        return this;
    }

    /**
     * Skip (and count in numRecordsInErrors) records that fail to deserialize instead of failing.
     */
    public ZkmqSourceBuilder<OUT> setSkipDeserializationErrors(boolean skip) {
        set(ZkmqSourceOptions.SKIP_DESERIALIZATION_ERRORS, skip);
        return this;
    }

    /** Continue at the earliest retained record when a position was trimmed by retention. */
    public ZkmqSourceBuilder<OUT> setResetToEarliestWhenOutOfRange(boolean reset) {
        set(ZkmqSourceOptions.RESET_OUT_OF_RANGE, reset);
        return this;
    }

    /** Limits the read rate (Flink's per-second or per-checkpoint strategies, or your own). */
    public ZkmqSourceBuilder<OUT> setRateLimiterStrategy(RateLimiterStrategy<?> strategy) {
        this.rateLimiter =
                Objects.requireNonNull(strategy, "rate limiter strategy must not be null");
        return this;
    }

    /** Deserializes the whole record (key, value, headers, timestamp, queue, partition, offset). */
    public ZkmqSourceBuilder<OUT> setDeserializer(
            ZkmqRecordDeserializationSchema<OUT> deserializer) {
        this.deserializer = Objects.requireNonNull(deserializer, "deserializer must not be null");
        return this;
    }

    /** Deserializes only the value bytes. */
    public ZkmqSourceBuilder<OUT> setValueOnlyDeserializer(DeserializationSchema<OUT> valueSchema) {
        this.deserializer = ZkmqRecordDeserializationSchema.valueOnly(valueSchema);
        return this;
    }

    public ZkmqSource<OUT> build() {
        Configuration conf = effective();
        sanityCheck(conf);
        ZkmqClientOptions client = ZkmqConnectionOptions.clientOptions(conf);
        List<String> queues = new ArrayList<>();
        conf.getOptional(ZkmqSourceOptions.QUEUES)
                .ifPresent(
                        q -> {
                            TreeSet<String> names = new TreeSet<>();
                            for (String name : q.split(",")) {
                                names.add(Names.queue(name.trim()));
                            }
                            queues.addAll(names);
                        });
        StartingPosition startingPosition =
                start != null
                        ? start
                        : StartingPosition.parse(conf.get(ZkmqSourceOptions.STARTING_POSITION));
        StoppingPosition stoppingPosition =
                stop != null
                        ? stop
                        : StoppingPosition.parse(conf.get(ZkmqSourceOptions.STOPPING_POSITION));
        ZkmqSourceConfig config =
                new ZkmqSourceConfig(
                        client,
                        queues,
                        conf.getOptional(ZkmqSourceOptions.QUEUE_PATTERN).orElse(null),
                        Names.group(conf.get(ZkmqSourceOptions.GROUP)),
                        conf.getOptional(ZkmqSourceOptions.OWNER_ID).orElse(null),
                        startingPosition,
                        stoppingPosition,
                        conf.get(ZkmqSourceOptions.LOCK_TIMEOUT),
                        conf.get(ZkmqSourceOptions.COMMIT_OFFSETS),
                        conf.get(ZkmqSourceOptions.IDLE_TIMEOUT),
                        conf.get(ZkmqSourceOptions.PREFETCH_BATCHES),
                        conf.get(ZkmqSourceOptions.SKIP_DESERIALIZATION_ERRORS),
                        conf.get(ZkmqSourceOptions.RESET_OUT_OF_RANGE),
                        ZkmqConnectionOptions.notNegative(
                                "'" + ZkmqSourceOptions.QUEUE_AWAIT_TIMEOUT.key() + "'",
                                conf.get(ZkmqSourceOptions.QUEUE_AWAIT_TIMEOUT)));
        @SuppressWarnings({"unchecked", "rawtypes"})
        RateLimiterStrategy<io.zkmq.source.split.ZkmqSplit> limiter =
                (RateLimiterStrategy) rateLimiter;
        return new ZkmqSource<>(config, deserializer, limiter);
    }

    private void sanityCheck(Configuration conf) {
        ZkmqConnectionOptions.clientOptions(conf);
        boolean named = conf.contains(ZkmqSourceOptions.QUEUES);
        boolean pattern = conf.contains(ZkmqSourceOptions.QUEUE_PATTERN);
        if (named == pattern) {
            throw new InvalidConfigException(
                    named
                            ? "Both queue names and a queue pattern are set; use setQueues or setQueuePattern, not both"
                            : "No queues to read: call setQueues(\"orders\", ...) or setQueuePattern(\"orders-.*\")");
        }
        if (pattern) {
            compile(conf.get(ZkmqSourceOptions.QUEUE_PATTERN));
        }
        if (!conf.contains(ZkmqSourceOptions.GROUP)) {
            throw new InvalidConfigException(
                    "No consumer group set: call setGroup(\"billing\"). The group holds the"
                            + " committed offsets and the locks that keep two jobs from reading one partition at once");
        }
        if (deserializer == null) {
            throw new InvalidConfigException(
                    "No deserializer set: call setValueOnlyDeserializer(new SimpleStringSchema())"
                            + " or setDeserializer(...) for key, headers and metadata");
        }
        int prefetch = conf.get(ZkmqSourceOptions.PREFETCH_BATCHES);
        if (prefetch < 1 || prefetch > 64) {
            throw new InvalidConfigException(
                    "'"
                            + ZkmqSourceOptions.PREFETCH_BATCHES.key()
                            + "' must be 1..64, got "
                            + prefetch);
        }
        Duration lock = conf.get(ZkmqSourceOptions.LOCK_TIMEOUT);
        if (lock.isNegative() || lock.isZero()) {
            throw new InvalidConfigException(
                    "'" + ZkmqSourceOptions.LOCK_TIMEOUT.key() + "' must be positive, got " + lock);
        }
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(Objects.requireNonNull(regex, "queue pattern must not be null"));
        } catch (PatternSyntaxException e) {
            throw new InvalidConfigException(
                    "Invalid queue pattern '" + regex + "': " + e.getDescription());
        }
    }

    private static Duration positive(String what, Duration d) {
        return ZkmqConnectionOptions.positive(what, d);
    }
}
