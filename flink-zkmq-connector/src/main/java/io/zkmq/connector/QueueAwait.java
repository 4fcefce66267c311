package io.zkmq.connector;

import io.zkmq.client.ZkmqClient;
import io.zkmq.coordination.QueueConfigWatcher;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.queue.ZkmqPaths;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.flink.annotation.Internal;

/**
 * Waits, up to the user's {@code queue.await-timeout}, for a queue to exist: told by the queue's
 * config watch, so it returns as soon as the creation is complete (the config is written last).
 */
@Internal
public final class QueueAwait {
    private QueueAwait() {}

    /**
     * The queue's config, once it exists. A zero timeout does not wait. Fails with {@link
     * QueueNotFoundException} naming the queue, namespace and how long it waited.
     */
    public static QueueMetadata await(ZkmqClient client, String queue, Duration timeout)
            throws InterruptedException {
        QueueConfigWatcher watcher = client.watchConfig(queue);
        CompletableFuture<QueueMetadata> created = new CompletableFuture<>();
        Consumer<Optional<QueueMetadata>> listener = meta -> meta.ifPresent(created::complete);
        watcher.addListener(listener); // before looking: a creation in between is not missed
        try {
            Optional<QueueMetadata> now = reRead(watcher, queue);
            if (now.isPresent()) {
                return now.get();
            }
            if (!timeout.isZero()) {
                try {
                    return created.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // A watch event lost to a reconnect: look once more before giving up.
                    now = reRead(watcher, queue);
                    if (now.isPresent()) {
                        return now.get();
                    }
                } catch (ExecutionException e) {
                    throw new ZkmqException(
                            "Waiting for queue '" + queue + "' failed: " + e.getCause(),
                            e.getCause());
                }
            }
            throw notFound(client, queue, timeout);
        } finally {
            watcher.removeListener(listener);
        }
    }

    private static Optional<QueueMetadata> reRead(QueueConfigWatcher watcher, String queue) {
        try {
            return watcher.refreshNow();
        } catch (Exception e) {
            throw new ZkmqException("Could not read the config of queue '" + queue + "': " + e, e);
        }
    }

    /** The error for a queue that is still missing, naming it, its namespace and what to do. */
    public static QueueNotFoundException notFound(
            ZkmqClient client, String queue, Duration waited) {
        return new QueueNotFoundException(
                "Queue '"
                        + queue
                        + "' does not exist (no znode "
                        + ZkmqPaths.queue(queue)
                        + " in namespace '"
                        + client.options().namespace()
                        + "')"
                        + (waited.isZero() ? "" : " after waiting " + waited.toMillis() + " ms")
                        + "; create it (zkmq queue create "
                        + queue
                        + ") or fix the name, or set '"
                        + ZkmqConnectionOptions.QUEUE_AWAIT_TIMEOUT.key()
                        + "' to wait for it to be created");
    }
}
