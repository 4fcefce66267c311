package io.zkmq.connector;

import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.error.InvalidConfigException;
import java.time.Duration;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * How the source and the sink reach ZooKeeper: the options both share (declared once, also used by
 * SQL), and their translation into {@link ZkmqClientOptions}.
 */
@PublicEvolving
public final class ZkmqConnectionOptions {
    private ZkmqConnectionOptions() {}

    public static final ConfigOption<String> ZOOKEEPER =
            ConfigOptions.key("zookeeper")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("ZooKeeper connect string, e.g. 'zk1:2181,zk2:2181'.");

    public static final ConfigOption<String> NAMESPACE =
            ConfigOptions.key("zookeeper.namespace")
                    .stringType()
                    .defaultValue(ZkmqClientOptions.DEFAULT_NAMESPACE)
                    .withDescription("Root znode under which ZKMQ keeps its queues.");

    public static final ConfigOption<Duration> SESSION_TIMEOUT =
            ConfigOptions.key("zookeeper.session-timeout")
                    .durationType()
                    .defaultValue(ZkmqClientOptions.DEFAULT_SESSION_TIMEOUT)
                    .withDescription(
                            "ZooKeeper session timeout: how long a task may be unreachable before its ephemeral"
                                    + " znodes (partition locks, member registrations) are released to others. At most 6 days"
                                    + " (ZooKeeper's client computes with it in int milliseconds); servers clamp it to their own"
                                    + " maximum, 40 s by default.");

    public static final ConfigOption<Duration> CONNECTION_TIMEOUT =
            ConfigOptions.key("zookeeper.connection-timeout")
                    .durationType()
                    .defaultValue(ZkmqClientOptions.DEFAULT_CONNECTION_TIMEOUT)
                    .withDescription(
                            "How long to wait for the first ZooKeeper connection before failing with a clear error. An"
                                    + " upper bound: a reachable server connects at once. At most 24 days (Curator takes it in int"
                                    + " milliseconds).");

    public static final ConfigOption<String> AUTH =
            ConfigOptions.key("zookeeper.auth")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Digest credentials 'user:password'; znodes created by the connector are then readable and"
                                    + " writable by that user only.");

    public static final ConfigOption<Duration> QUEUE_AWAIT_TIMEOUT =
            ConfigOptions.key("queue.await-timeout")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "How long a starting source or sink waits for a missing queue to be created. 0 (the"
                                    + " default): a missing queue fails the job at once. Either way a queue still missing then fails the"
                                    + " job without restarts: restarting cannot create it.");

    /** Zero or a positive duration, or an error naming what it is for. */
    public static Duration notNegative(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw new InvalidConfigException(
                    what + " must be zero or a positive duration, got " + d);
        }
        return d;
    }

    /**
     * The client options these settings describe; fails naming the option when the connect string
     * is missing.
     */
    public static ZkmqClientOptions clientOptions(ReadableConfig conf) {
        String connect =
                conf.getOptional(ZOOKEEPER)
                        .orElseThrow(
                                () ->
                                        new InvalidConfigException(
                                                "The ZooKeeper connect string is not set: call setZookeeper(\"host:2181\") or set '"
                                                        + ZOOKEEPER.key()
                                                        + "'"));
        ZkmqClientOptions.Builder client =
                ZkmqClientOptions.builder(connect)
                        .namespace(conf.get(NAMESPACE))
                        .sessionTimeout(conf.get(SESSION_TIMEOUT))
                        .connectionTimeout(conf.get(CONNECTION_TIMEOUT));
        conf.getOptional(AUTH).ifPresent(client::digestAuth);
        return client.build();
    }

    /** A positive duration, or an error naming what it is for. */
    public static Duration positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidConfigException(what + " must be a positive duration, got " + d);
        }
        return d;
    }
}
