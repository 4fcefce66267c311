package io.zkmq.sink;

import io.zkmq.connector.ZkmqConnectionOptions;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * Typed options of the ZKMQ sink, for the builder's {@code setConfiguration}, job parameters and
 * SQL. Connection options are shared with the source. Defaults are the ones in docs/sink.md.
 */
@PublicEvolving
public final class ZkmqSinkOptions {
    private ZkmqSinkOptions() {}

    public static final ConfigOption<String> ZOOKEEPER = ZkmqConnectionOptions.ZOOKEEPER;
    public static final ConfigOption<String> NAMESPACE = ZkmqConnectionOptions.NAMESPACE;
    public static final ConfigOption<Duration> SESSION_TIMEOUT =
            ZkmqConnectionOptions.SESSION_TIMEOUT;
    public static final ConfigOption<Duration> CONNECTION_TIMEOUT =
            ZkmqConnectionOptions.CONNECTION_TIMEOUT;
    public static final ConfigOption<String> AUTH = ZkmqConnectionOptions.AUTH;
    public static final ConfigOption<Duration> QUEUE_AWAIT_TIMEOUT =
            ZkmqConnectionOptions.QUEUE_AWAIT_TIMEOUT;

    public static final ConfigOption<String> QUEUE =
            ConfigOptions.key("queue")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Queue to write to (unless a queue selector chooses per record). It must exist, or be"
                                    + " created within 'queue.await-timeout'.");

    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE =
            ConfigOptions.key("sink.delivery-guarantee")
                    .enumType(DeliveryGuarantee.class)
                    .defaultValue(DeliveryGuarantee.AT_LEAST_ONCE)
                    .withDescription(
                            "'none': fire and forget, no flush on checkpoints; 'at-least-once': every record is"
                                    + " acknowledged before a checkpoint completes; 'exactly-once': records are staged at the checkpoint"
                                    + " and made visible once it completes.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("sink.transactional-id-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Required for exactly-once: names this sink's transactions, so a restarted job finds and"
                                    + " aborts its own unfinished ones. Unique per sink: two sinks sharing it abort each other's"
                                    + " transactions.");

    public static final ConfigOption<Duration> LINGER =
            ConfigOptions.key("sink.linger")
                    .durationType()
                    .defaultValue(Duration.ofMillis(5))
                    .withDescription(
                            "None/at-least-once: how long a batch waits for more records before it is written.");

    public static final ConfigOption<Long> BUFFER_BYTES =
            ConfigOptions.key("sink.buffer-bytes")
                    .longType()
                    .defaultValue(32L * 1024 * 1024)
                    .withDescription(
                            "None/at-least-once: bytes of records waiting for acknowledgement before writes block.");

    public static final ConfigOption<Duration> DELIVERY_TIMEOUT =
            ConfigOptions.key("sink.delivery-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription(
                            "None/at-least-once: how long a record may wait for its acknowledgement (retries"
                                    + " included) before the job fails.");

    public static final ConfigOption<Boolean> SKIP_FAILED_RECORDS =
            ConfigOptions.key("sink.none.skip-failed-records")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "With delivery guarantee 'none' only: count records that failed to be written in"
                                    + " numRecordsOutErrors instead of failing the job.");

    public static final ConfigOption<Long> TRANSACTION_MAX_BUFFERED_BYTES =
            ConfigOptions.key("sink.transaction.max-buffered-bytes")
                    .longType()
                    .defaultValue(64L * 1024 * 1024)
                    .withDescription(
                            "Exactly-once: records are buffered in memory and staged at the checkpoint; a"
                                    + " writer holding more than this stages what it has early (still invisible until the"
                                    + " checkpoint completes), bounding its memory.");

    public static final ConfigOption<Duration> TRANSACTION_ABANDONED_TIMEOUT =
            ConfigOptions.key("sink.transaction.abandoned-timeout")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "Exactly-once: a staged transaction still uncommitted after this long is aborted"
                                    + " by the queue's maintenance leader (a job that died and never came back). Committed data"
                                    + " is never affected. Keep it far above the longest time a job may be down and still be"
                                    + " restored from its last checkpoint.");

    public static final ConfigOption<Integer> COMMIT_RETRIES =
            ConfigOptions.key("sink.commit.retries")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Exactly-once: how often a commit, or the staging of a transaction at a checkpoint,"
                                    + " that failed for a transient reason (ZooKeeper unreachable) is retried before the job fails."
                                    + " Staging retries are one second apart and recognise what an earlier try already wrote.");
}
