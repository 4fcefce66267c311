package io.zkmq.client;

import io.zkmq.error.AccessDeniedException;
import io.zkmq.error.ConcurrentUpdateException;
import io.zkmq.error.QuotaExceededException;
import io.zkmq.error.ZkmqException;
import io.zkmq.error.ZkmqTimeoutException;
import io.zkmq.error.ZooKeeperUnavailableException;
import io.zkmq.queue.ZkmqPaths;
import org.apache.zookeeper.KeeperException;

import java.util.OptionalLong;

/** Translates ZooKeeper failures into the connector's exception family, naming what was involved. */
public final class ZkErrors {
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

    public static ZkmqException translate(KeeperException.Code code, String path, String what, Throwable cause) {
        String where = path == null ? "" : " at znode " + path;
        switch (code) {
            case NOAUTH:
            case AUTHFAILED:
                return new AccessDeniedException("ZooKeeper denied access" + where + " while " + what
                        + ": set digest credentials that the znode's ACL allows", cause);
            case CONNECTIONLOSS:
            case SESSIONEXPIRED:
            case OPERATIONTIMEOUT:
                return new ZooKeeperUnavailableException("ZooKeeper unreachable (" + code + ")" + where + " while " + what, cause);
            case QUOTAEXCEEDED:
                // Definite: the server refused the whole request before applying it (not in isRetriable).
                return new QuotaExceededException(path == null ? null : ZkmqPaths.queueOf(path).orElse(null),
                        OptionalLong.empty(), "ZooKeeper refused the write" + where + " while " + what, cause);
            default:
                return new ZkmqException("ZooKeeper error " + code + where + " while " + what, cause);
        }
    }

    /**
     * True for failures that a retry of the whole (idempotent) operation may overcome: ZooKeeper
     * unreachable, a timeout, a race lost too often. Commits and stagings of transactions retry these.
     */
    public static boolean isTransient(Throwable e) {
        return e instanceof ZooKeeperUnavailableException || e instanceof ZkmqTimeoutException
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
}
