package io.zkmq.source;

import io.zkmq.connector.ZkmqConnectionOptions;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Typed options of the ZKMQ source. The builder's setters and {@code
 * ZkmqSourceBuilder#setConfiguration} (job parameters, later SQL) both end up here; every default
 * is the one documented in docs/source.md.
 */
@PublicEvolving
public final class ZkmqSourceOptions {
    private ZkmqSourceOptions() {}

    public static final ConfigOption<String> ZOOKEEPER = ZkmqConnectionOptions.ZOOKEEPER;
    public static final ConfigOption<String> NAMESPACE = ZkmqConnectionOptions.NAMESPACE;
    public static final ConfigOption<Duration> SESSION_TIMEOUT =
            ZkmqConnectionOptions.SESSION_TIMEOUT;
    public static final ConfigOption<Duration> CONNECTION_TIMEOUT =
            ZkmqConnectionOptions.CONNECTION_TIMEOUT;
    public static final ConfigOption<String> AUTH = ZkmqConnectionOptions.AUTH;
    public static final ConfigOption<Duration> QUEUE_AWAIT_TIMEOUT =
            ZkmqConnectionOptions.QUEUE_AWAIT_TIMEOUT;

    public static final ConfigOption<String> QUEUES =
            ConfigOptions.key("queues")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Comma-separated queue names to read. Each partition of each queue is one split.");

    public static final ConfigOption<String> QUEUE_PATTERN =
            ConfigOptions.key("queue-pattern")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Java regular expression: read every queue whose whole name matches, including queues"
                                    + " created while the job runs. Use instead of 'queues'.");

    public static final ConfigOption<String> GROUP =
            ConfigOptions.key("group")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Consumer group: where committed offsets and partition locks live. Two jobs in the same"
                                    + " group never read the same partition at once.");

    public static final ConfigOption<String> OWNER_ID =
            ConfigOptions.key("owner-id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Identity of this job in the group's partition locks. A job with the same owner id takes"
                                    + " over its own stale locks at once; any other owner waits. Default: the Flink job id, so every"
                                    + " attempt of one job takes over at once and other jobs wait.");

    public static final ConfigOption<String> STARTING_POSITION =
            ConfigOptions.key("scan.startup.mode")
                    .stringType()
                    .defaultValue("committed-or-earliest")
                    .withDescription(
                            "Where splits start when not restored from a checkpoint: 'earliest', 'latest',"
                                    + " 'committed' (= 'committed-or-earliest'), 'committed-or-latest', 'timestamp:<ms>' or an offset.");

    public static final ConfigOption<String> STOPPING_POSITION =
            ConfigOptions.key("scan.bounded.mode")
                    .stringType()
                    .defaultValue("none")
                    .withDescription(
                            "'none' (unbounded), 'latest' (stop at the heads seen at start) or 'timestamp:<ms>'.");

    public static final ConfigOption<Duration> LOCK_TIMEOUT =
            ConfigOptions.key("lock.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(90))
                    .withDescription(
                            "How long a reader waits for a partition held by another owner before failing with an"
                                    + " error naming the holder. Keep it above the session timeout so a crashed holder's locks expire"
                                    + " first.");

    public static final ConfigOption<Boolean> COMMIT_OFFSETS =
            ConfigOptions.key("commit.offsets-on-checkpoint")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Commit the read position to the group when a checkpoint completes (fenced by the"
                                    + " partition's lock epoch). The checkpoint stays the source of truth on restore.");

    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "A reader whose splits have all been caught up for this long marks itself idle, so"
                                    + " downstream watermarks do not stall. Zero disables this; a reader with no splits is idle at once.");

    public static final ConfigOption<Integer> PREFETCH_BATCHES =
            ConfigOptions.key("fetch.prefetch-batches")
                    .intType()
                    .defaultValue(4)
                    .withDescription(
                            "Batches fetched ahead per partition (each up to the queue's max batch size).");

    public static final ConfigOption<Boolean> SKIP_DESERIALIZATION_ERRORS =
            ConfigOptions.key("deserialization.skip-errors")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Skip records that fail to deserialize, counting them in numRecordsInErrors, instead of"
                                    + " failing the job. Only the deserializer's own failures: a failure of an operator after the"
                                    + " source always fails the job.");

    public static final ConfigOption<Boolean> RESET_OUT_OF_RANGE =
            ConfigOptions.key("offset-out-of-range.reset-to-earliest")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "When a split's position was trimmed by retention, continue at the earliest retained"
                                    + " record (and count the records lost) instead of failing the job.");
}
