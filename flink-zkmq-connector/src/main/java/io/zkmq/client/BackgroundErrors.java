package io.zkmq.client;

import io.zkmq.error.ZkmqException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.api.UnhandledErrorListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Curator's unhandled background errors of one client, routed to the client's owners instead of
 * only logged.
 *
 * <p>Curator 5.9 reports here (its {@code logError}): a background operation that failed (its
 * retries on a connection error gave up, or it threw, e.g. creating parents of a znode whose queue
 * was just deleted), a {@code BackgroundCallback}, {@code CuratorListener} or {@code
 * CuratorWatcher} that threw, and a failed creation of the namespace znode. A ZooKeeper error
 * ({@link KeeperException}) is only logged: Curator has also handed it to the operation's own
 * callback (or nobody waits for the operation), the namespace's foreground operation fails with it
 * by itself, and the connection errors among them (connection loss, timeouts, session expiry) are
 * outages the client rides out (retries, SUSPENDED/LOST handling, fencing). Anything else was
 * thrown by a callback, listener or watcher, and no caller would ever see it: a callback that threw
 * leaves its request unanswered. The first such failure is kept, handed to the listeners (producers
 * fail their pending sends, consumers wake up) and raised by {@link #check} on every later call of
 * the client's owners.
 */
final class BackgroundErrors implements UnhandledErrorListener {
    // The client's logger, as before: log configurations (the CLI's) tune the client's reports.
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqClient.class);

    private final String connectString;
    private final AtomicReference<ZkmqException> failure = new AtomicReference<>();
    private final List<Consumer<ZkmqException>> listeners = new CopyOnWriteArrayList<>();

    BackgroundErrors(String connectString) {
        this.connectString = connectString;
    }

    @Override
    public void unhandledError(String message, Throwable e) {
        if (survivable(e)) {
            LOG.warn(
                    "ZooKeeper client for {}: {}: {} (also reported to the operation, or an"
                            + " outage the client rides out)",
                    connectString,
                    message,
                    e.toString());
            return;
        }
        ZkmqException error =
                new ZkmqException(
                        "The ZooKeeper client for '"
                                + connectString
                                + "' failed in the background ("
                                + message
                                + "): "
                                + e,
                        e);
        if (failure.compareAndSet(null, error)) {
            LOG.error("{}; failing its producers, consumers and readers", error.getMessage(), e);
            listeners.forEach(l -> l.accept(error));
        } else {
            LOG.error(
                    "Another background failure of the ZooKeeper client for {}", connectString, e);
        }
    }

    /** ZooKeeper's own errors: reported to their operation too, or an outage. */
    static boolean survivable(Throwable e) {
        return e instanceof KeeperException;
    }

    /** Throws the first background failure, if there was one, from the caller's stack. */
    void check() {
        ZkmqException first = failure.get();
        if (first != null) {
            throw new ZkmqException(first.getMessage(), first.getCause());
        }
    }

    /** {@code listener} hears the first failure; at once if it already happened. */
    void addListener(Consumer<ZkmqException> listener) {
        listeners.add(listener);
        ZkmqException first = failure.get();
        if (first != null) {
            listener.accept(first);
        }
    }

    void removeListener(Consumer<ZkmqException> listener) {
        listeners.remove(listener);
    }
}
