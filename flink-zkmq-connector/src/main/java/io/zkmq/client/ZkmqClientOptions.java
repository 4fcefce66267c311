package io.zkmq.client;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.Names;
import io.zkmq.tier.TierFileSystems;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.annotation.PublicEvolving;

/**
 * How to reach ZooKeeper: connect string, namespace (root znode), timeouts, retries and optional
 * digest credentials. Immutable and serializable so Flink can ship it to tasks.
 */
@PublicEvolving
public final class ZkmqClientOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_NAMESPACE = "zkmq";
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(15);

    /**
     * ZooKeeper's client computes with the session timeout in int milliseconds, times 4/3 (its
     * expiry check), so more than about 6.2 days overflows and the session never starts. Servers
     * clamp the timeout to their own maximum (40 s by default) anyway.
     */
    public static final Duration MAX_SESSION_TIMEOUT = Duration.ofDays(6);

    /** Curator takes the connection timeout in int milliseconds (at most about 24.8 days). */
    public static final Duration MAX_CONNECTION_TIMEOUT = Duration.ofDays(24);

    /** Each back-off sleep is capped at this; a longer base sleep would mean nothing. */
    public static final Duration MAX_RETRY_BASE_SLEEP = Duration.ofSeconds(5);

    private final String connectString;
    private final String namespace;
    private final Duration sessionTimeout;
    private final Duration connectionTimeout;
    private final Duration retryBaseSleep;
    private final int maxRetries;
    private final String digestAuth;
    private final Duration maintenanceInterval;
    private final Duration tierOrphanGrace;
    private final Map<String, String> tierConfig;
    private final String flinkPluginsDir;

    private ZkmqClientOptions(Builder b) {
        this.connectString = b.connectString;
        this.namespace = b.namespace;
        this.sessionTimeout = b.sessionTimeout;
        this.connectionTimeout = b.connectionTimeout;
        this.retryBaseSleep = b.retryBaseSleep;
        this.maxRetries = b.maxRetries;
        this.digestAuth = b.digestAuth;
        this.maintenanceInterval = b.maintenanceInterval;
        this.tierOrphanGrace = b.tierOrphanGrace;
        this.tierConfig = Map.copyOf(b.tierConfig);
        this.flinkPluginsDir = b.flinkPluginsDir;
    }

    public static Builder builder(String connectString) {
        return new Builder().connectString(connectString);
    }

    public String connectString() {
        return connectString;
    }

    public String namespace() {
        return namespace;
    }

    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    public Duration retryBaseSleep() {
        return retryBaseSleep;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** {@code user:password} for ZooKeeper digest authentication, if set. */
    public Optional<String> digestAuth() {
        return Optional.ofNullable(digestAuth);
    }

    /** How often the queue's maintenance leader runs retention. */
    public Duration maintenanceInterval() {
        return maintenanceInterval;
    }

    /**
     * How old an unregistered tier object must be before the maintenance leader deletes it as an
     * orphan.
     */
    public Duration tierOrphanGrace() {
        return tierOrphanGrace;
    }

    /**
     * Flink configuration keys for the tier's file system (e.g. {@code s3.endpoint}), applied
     * process-wide when a client connects; empty (the default) leaves Flink's file systems as they
     * are.
     */
    public Map<String, String> tierConfig() {
        return tierConfig;
    }

    /** A Flink plugins directory to load file systems from (e.g. {@code s3-fs-hadoop}), if set. */
    public Optional<Path> flinkPluginsDir() {
        return Optional.ofNullable(flinkPluginsDir).map(Path::of);
    }

    /** The process-wide file-system settings these options ask for. */
    TierFileSystems.Settings tierFileSystems() {
        return new TierFileSystems.Settings(tierConfig, flinkPluginsDir());
    }

    @Override
    public String toString() {
        return "zookeeper="
                + connectString
                + ", namespace="
                + namespace
                + ", sessionTimeout="
                + sessionTimeout
                + ", connectionTimeout="
                + connectionTimeout
                + ", auth="
                + (digestAuth == null ? "none" : "digest")
                + (tierConfig.isEmpty() && flinkPluginsDir == null
                        ? ""
                        : ", tier file systems: " + tierFileSystems());
    }

    /** Validating builder. */
    public static final class Builder {
        private String connectString;
        private String namespace = DEFAULT_NAMESPACE;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Duration retryBaseSleep = Duration.ofMillis(100);
        private int maxRetries = 5;
        private String digestAuth;
        private Duration maintenanceInterval = Duration.ofSeconds(30);
        private Duration tierOrphanGrace = TierOffloadTask.DEFAULT_ORPHAN_GRACE;
        private Map<String, String> tierConfig = Map.of();
        private String flinkPluginsDir;

        private Builder() {}

        /** Comma-separated {@code host:port} list, e.g. {@code zk1:2181,zk2:2181}. */
        public Builder connectString(String connectString) {
            if (connectString == null || connectString.isBlank()) {
                throw new InvalidConfigException(
                        "The ZooKeeper connect string must be set, e.g. 'localhost:2181'");
            }
            this.connectString = connectString.trim();
            return this;
        }

        /** Root znode under which all queues live (default {@value #DEFAULT_NAMESPACE}). */
        public Builder namespace(String namespace) {
            this.namespace = Names.namespace(namespace);
            return this;
        }

        /**
         * How long ZooKeeper keeps a silent client's session; also the liveness timeout of members
         * and locks. At most {@link #MAX_SESSION_TIMEOUT}.
         */
        public Builder sessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout =
                    bounded(
                            "sessionTimeout",
                            sessionTimeout,
                            MAX_SESSION_TIMEOUT,
                            "ZooKeeper's client computes with it in int milliseconds");
            return this;
        }

        /**
         * How long connecting (and every blocking operation's reconnect) may take before failing:
         * an upper bound, connecting to a live server returns at once. At most {@link
         * #MAX_CONNECTION_TIMEOUT}.
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout =
                    bounded(
                            "connectionTimeout",
                            connectionTimeout,
                            MAX_CONNECTION_TIMEOUT,
                            "Curator takes it in int milliseconds");
            return this;
        }

        /**
         * Exponential back-off of retried ZooKeeper operations; the base sleep is at most {@link
         * #MAX_RETRY_BASE_SLEEP}.
         */
        public Builder retry(Duration baseSleep, int maxRetries) {
            this.retryBaseSleep =
                    bounded(
                            "retry base sleep",
                            baseSleep,
                            MAX_RETRY_BASE_SLEEP,
                            "the longest back-off sleep");
            if (maxRetries < 0 || maxRetries > 29) {
                throw new InvalidConfigException(
                        "maxRetries must be between 0 and 29, got " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Digest credentials {@code user:password}; every znode the client creates is then readable
         * only by them.
         */
        public Builder digestAuth(String userColonPassword) {
            if (userColonPassword != null
                    && (!userColonPassword.contains(":") || userColonPassword.startsWith(":"))) {
                throw new InvalidConfigException(
                        "Digest credentials must have the form 'user:password'");
            }
            this.digestAuth = userColonPassword;
            return this;
        }

        /** How often the elected maintenance leader trims expired segments (default 30 s). */
        public Builder maintenanceInterval(Duration interval) {
            this.maintenanceInterval = positive("maintenanceInterval", interval);
            return this;
        }

        /**
         * How old an unregistered tier object must be before it is deleted as an orphan (default 10
         * min): longer than any upload takes, so an upload still waiting for its registration is
         * never taken for one.
         */
        public Builder tierOrphanGrace(Duration grace) {
            this.tierOrphanGrace = positive("tierOrphanGrace", grace);
            return this;
        }

        /**
         * Flink configuration for the tier's file system, as in a Flink job's configuration: e.g.
         * {@code s3.endpoint}, {@code s3.access-key}, {@code s3.secret-key}, {@code
         * s3.path.style.access}. For processes that are not Flink jobs (inside a job, set them in
         * the Flink configuration instead). Applied with Flink's {@code FileSystem.initialize} when
         * the client connects, once per process: Flink's file systems are process-wide, so every
         * client of a process must be given the same settings, or connecting refuses with an {@code
         * InvalidConfigException}. Empty (the default) never touches Flink's file systems.
         */
        public Builder tierConfig(Map<String, String> flinkConfig) {
            Objects.requireNonNull(flinkConfig, "tierConfig");
            flinkConfig.forEach(
                    (k, v) -> {
                        if (k == null || k.isBlank() || v == null) {
                            throw new InvalidConfigException(
                                    "tierConfig needs non-blank keys and non-null values, got key '"
                                            + k
                                            + "'");
                        }
                    });
            this.tierConfig = new TreeMap<>(flinkConfig);
            return this;
        }

        /**
         * A Flink plugins directory (like a Flink distribution's {@code plugins/}, one
         * sub-directory per plugin such as {@code s3-fs-hadoop}) whose file systems serve tier
         * URIs; applied with {@link #tierConfig} and as process-wide.
         */
        public Builder flinkPluginsDir(Path dir) {
            this.flinkPluginsDir = dir == null ? null : dir.toAbsolutePath().normalize().toString();
            return this;
        }

        public ZkmqClientOptions build() {
            Objects.requireNonNull(connectString, "connectString");
            return new ZkmqClientOptions(this);
        }

        private static Duration positive(String what, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidConfigException(what + " must be a positive duration, got " + d);
            }
            return d;
        }

        private static Duration bounded(String what, Duration d, Duration max, String why) {
            positive(what, d);
            if (d.compareTo(max) > 0) {
                throw new InvalidConfigException(
                        what
                                + " must be at most "
                                + max.toMillis()
                                + " ms ("
                                + max
                                + ", "
                                + why
                                + "), got "
                                + d);
            }
            return d;
        }
    }
}
