package io.zkmq.client;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.Names;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
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
                + (digestAuth == null ? "none" : "digest");
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
