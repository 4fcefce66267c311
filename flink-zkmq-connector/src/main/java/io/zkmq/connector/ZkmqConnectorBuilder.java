package io.zkmq.connector;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.Names;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The setters the source and sink builders share: how to reach ZooKeeper ({@link
 * ZkmqConnectionOptions}), how long to wait for a missing queue, and options from a {@link
 * Configuration}. Explicit setters win over {@link #setConfiguration}, whatever the order of the
 * calls. Every setter validates at once and returns the concrete builder.
 *
 * @param <SELF> the concrete builder, returned by every setter so that calls chain
 */
@PublicEvolving
public abstract class ZkmqConnectorBuilder<SELF extends ZkmqConnectorBuilder<SELF>> {
    /** Options given by setters: they win over {@link #base}. */
    private final Configuration explicit = new Configuration();

    /** Options given by {@code setConfiguration} / {@code setProperties}. */
    private final Configuration base = new Configuration();

    protected ZkmqConnectorBuilder() {}

    /** ZooKeeper connect string, e.g. {@code zk1:2181,zk2:2181}. */
    public SELF setZookeeper(String connectString) {
        if (connectString == null || connectString.isBlank()) {
            throw new InvalidConfigException(
                    "setZookeeper needs a connect string such as 'localhost:2181'");
        }
        return set(ZkmqConnectionOptions.ZOOKEEPER, connectString.trim());
    }

    public SELF setNamespace(String namespace) {
        return set(ZkmqConnectionOptions.NAMESPACE, Names.namespace(namespace));
    }

    public SELF setSessionTimeout(Duration timeout) {
        return set(
                ZkmqConnectionOptions.SESSION_TIMEOUT,
                ZkmqConnectionOptions.positive("session timeout", timeout));
    }

    public SELF setConnectionTimeout(Duration timeout) {
        return set(
                ZkmqConnectionOptions.CONNECTION_TIMEOUT,
                ZkmqConnectionOptions.positive("connection timeout", timeout));
    }

    /** Digest credentials {@code user:password}. */
    public SELF setAuth(String userColonPassword) {
        return set(ZkmqConnectionOptions.AUTH, userColonPassword);
    }

    /**
     * How long to wait for a queue that does not exist yet (default 0: a missing queue fails the
     * job at once). A queue still missing then fails the job without restarts. The source waits at
     * start; the sink at start for a fixed queue, at its first record for a selected one.
     */
    public SELF setQueueAwaitTimeout(Duration timeout) {
        return set(
                ZkmqConnectionOptions.QUEUE_AWAIT_TIMEOUT,
                ZkmqConnectionOptions.notNegative("queue await timeout", timeout));
    }

    /**
     * Options by their keys ({@code ZkmqSourceOptions}, {@code ZkmqSinkOptions}), e.g. from job
     * parameters.
     */
    public SELF setConfiguration(Configuration configuration) {
        base.addAll(configuration);
        return self();
    }

    /** Options by their keys as strings. */
    public SELF setProperties(Map<String, String> properties) {
        return setConfiguration(Configuration.fromMap(properties));
    }

    /** Records an explicit setter's value, which wins over {@link #setConfiguration}. */
    protected final <T> SELF set(ConfigOption<T> option, T value) {
        explicit.set(option, value);
        return self();
    }

    /** The options in force: the configuration, overridden by the explicit setters. */
    protected final Configuration effective() {
        Configuration conf = new Configuration(base);
        conf.addAll(explicit);
        return conf;
    }

    @SuppressWarnings("unchecked")
    private SELF self() {
        return (SELF) this;
    }
}
