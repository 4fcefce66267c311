package io.zkmq.error;

import java.util.OptionalLong;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;

/**
 * Translates ZooKeeper failures into the connector's exception family, naming what was involved.
 * The one class of {@code error} that knows ZooKeeper, and only its {@link KeeperException} codes.
 */
@Internal
public final class ZkErrors {
    // ZkmqPaths.QUEUES + "/": error may not import queue (docs/architecture.md, section 2).
    private static final String QUEUES_PREFIX = "/queues/";

    private ZkErrors() {}

    public static ZkmqException translate(Throwable e, String what) {
        if (e instanceof ZkmqException z) {
            return z;
        }
        if (e instanceof KeeperException k) {
            return translate(k.code(), k.getPath(), what, e);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new ZkmqException("Interrupted while " + what, e);
        }
        return new ZkmqException("Failed while " + what + ": " + e, e);
    }

    public static ZkmqException translate(
            KeeperException.Code code, String path, String what, Throwable cause) {
        String where = path == null ? "" : " at znode " + path;
        switch (code) {
            case NOAUTH:
            case AUTHFAILED:
                return new AccessDeniedException(
                        "ZooKeeper denied access"
                                + where
                                + " while "
                                + what
                                + ": set digest credentials that the znode's ACL allows",
                        cause);
            case CONNECTIONLOSS:
            case SESSIONEXPIRED:
            case OPERATIONTIMEOUT:
                return new ZooKeeperUnavailableException(
                        "ZooKeeper unreachable (" + code + ")" + where + " while " + what, cause);
            case QUOTAEXCEEDED:
                // Definite: the server refused the whole request before applying it (not in
                // isRetriable).
                return new QuotaExceededException(
                        path == null ? null : queueOf(path),
                        OptionalLong.empty(),
                        "ZooKeeper refused the write" + where + " while " + what,
                        cause);
            default:
                return new ZkmqException(
                        "ZooKeeper error " + code + where + " while " + what, cause);
        }
    }

    /**
     * True for failures that a retry of the whole (idempotent) operation may overcome: ZooKeeper
     * unreachable, a timeout, a race lost too often. Commits and stagings of transactions retry
     * these.
     */
    public static boolean isTransient(Throwable e) {
        return e instanceof ZooKeeperUnavailableException
                || e instanceof ZkmqTimeoutException
                || e instanceof ConcurrentUpdateException;
    }

    /** True for failures after which the outcome of a write is unknown and a retry may succeed. */
    public static boolean isRetriable(KeeperException.Code code) {
        return code == KeeperException.Code.CONNECTIONLOSS
                || code == KeeperException.Code.OPERATIONTIMEOUT
                || code == KeeperException.Code.SESSIONEXPIRED
                || code == KeeperException.Code.SESSIONMOVED
                || code == KeeperException.Code.REQUESTTIMEOUT
                || code == KeeperException.Code.THROTTLEDOP;
    }

    /**
     * The queue a znode path (relative to the namespace) lies in, or null. The inverse of {@code
     * ZkmqPaths.queue(q)} ({@code /queues/<q>/...}); written here because {@code queue} depends on
     * {@code error}, not the other way round.
     */
    static String queueOf(String path) {
        if (!path.startsWith(QUEUES_PREFIX)) {
            return null;
        }
        String rest = path.substring(QUEUES_PREFIX.length());
        int slash = rest.indexOf('/');
        String queue = slash < 0 ? rest : rest.substring(0, slash);
        return queue.isEmpty() ? null : queue;
    }
}
