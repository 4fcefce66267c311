package io.zkmq.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;

/**
 * One background ZooKeeper request whose answer is awaited at most for a timeout. Curator may never
 * call back (a background retry that gives up can drop the callback), so the producer owns the
 * timeout: whichever of the callback and the timer {@link #claim claims} the request first handles
 * it, the other is ignored.
 */
final class GuardedRequest {
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile ScheduledFuture<?> timer;

    private GuardedRequest() {}

    /**
     * Runs {@code onNoAnswer} on the scheduler unless the request is claimed within the timeout.
     */
    static GuardedRequest start(
            ScheduledExecutorService scheduler, long timeoutNanos, Runnable onNoAnswer) {
        GuardedRequest request = new GuardedRequest();
        request.timer =
                scheduler.schedule(
                        () -> {
                            if (request.claim()) {
                                onNoAnswer.run();
                            }
                        },
                        Math.max(0, timeoutNanos),
                        TimeUnit.NANOSECONDS);
        return request;
    }

    /** True for the first caller only; cancels the timer. */
    boolean claim() {
        if (!claimed.compareAndSet(false, true)) {
            return false;
        }
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        return true;
    }

    /**
     * Reads {@code path} in the background: {@code onAnswer} gets Curator's answer, or {@code
     * onFailure} a reason (no answer within the timeout, or the request could not be sent); exactly
     * one of them runs.
     */
    static void getData(
            CuratorFramework curator,
            ScheduledExecutorService scheduler,
            long timeoutNanos,
            String path,
            Consumer<CuratorEvent> onAnswer,
            Consumer<String> onFailure) {
        GuardedRequest request =
                start(
                        scheduler,
                        timeoutNanos,
                        () ->
                                onFailure.accept(
                                        "no answer reading "
                                                + path
                                                + " within "
                                                + TimeUnit.NANOSECONDS.toMillis(
                                                        Math.max(0, timeoutNanos))
                                                + " ms"));
        try {
            curator.getData()
                    .inBackground(
                            (c, event) -> {
                                if (request.claim()) {
                                    onAnswer.accept(event);
                                }
                            })
                    .forPath(path);
        } catch (Exception e) {
            if (request.claim()) {
                onFailure.accept(e.toString());
            }
        }
    }
}
