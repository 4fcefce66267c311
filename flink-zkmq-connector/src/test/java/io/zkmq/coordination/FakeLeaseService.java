package io.zkmq.coordination;

import io.zkmq.error.FencedException;
import io.zkmq.error.OwnershipTimeoutException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LeaseService} in plain Java for fast tests of its callers: the leases live in memory,
 * callbacks run on one service thread like the real one's, and the test plays the other owners and
 * ZooKeeper ({@link #holdElsewhere}, {@link #takeOver}, {@link #loseSession}, {@link #newSession}).
 * Mirrors {@link ZkLeaseService}'s contract: waits for a foreign holder up to the timeout and fails
 * naming it, fences commits after a take-over, takes lost leases back in place.
 */
public final class FakeLeaseService implements LeaseService {
    /** A commit that reached the fake's store. */
    public record Commit(
            String queue, int partition, Position position, long checkpointId, int epoch) {}

    private record Key(String queue, int partition) {}

    /** Who holds a partition: this owner (with its listener) or another one. */
    private static final class Holder {
        final String ownerId;
        final int epoch;
        final LeaseListener listener; // null for another owner

        Holder(String ownerId, int epoch, LeaseListener listener) {
            this.ownerId = ownerId;
            this.epoch = epoch;
            this.listener = listener;
        }
    }

    private final String group;
    private final String ownerId;
    private final Duration timeout;
    private volatile Thread serviceThread;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "fake-leases");
                        t.setDaemon(true);
                        serviceThread = t;
                        return t;
                    });
    private final Object resumed = new Object();
    // State below is touched on the service thread only, except the volatile flag.
    private final Map<Key, Holder> holders = new HashMap<>();
    private final Map<Key, Integer> epochs = new HashMap<>();
    private final Map<Key, LeaseListener> waiting = new HashMap<>();
    private final Map<Key, LeaseListener> lost = new HashMap<>();
    private final Map<Key, CommittedPosition> committed = new HashMap<>();
    private final List<Commit> commits = new ArrayList<>();
    private volatile boolean paused;
    private volatile boolean closed;

    public FakeLeaseService(String group, String ownerId, Duration timeout) {
        this.group = group;
        this.ownerId = ownerId;
        this.timeout = timeout;
    }

    // ---- the test's side: other owners and ZooKeeper ----

    /** Another owner holds the partition (as if it took it first). */
    public void holdElsewhere(String queue, int partition, String otherOwner) {
        run(
                () ->
                        holders.put(
                                new Key(queue, partition),
                                new Holder(
                                        otherOwner, nextEpoch(new Key(queue, partition)), null)));
    }

    /**
     * Another owner (e.g. a restarted task with the same id) takes the partition over: this owner
     * is fenced.
     */
    public void takeOver(String queue, int partition, String otherOwner) {
        holdElsewhere(queue, partition, otherOwner);
    }

    /** The session expired: every held lease is lost and emitting must stop. */
    public void loseSession() {
        run(
                () -> {
                    paused = true;
                    holders.entrySet()
                            .removeIf(
                                    e -> {
                                        if (e.getValue().listener == null) {
                                            return false;
                                        }
                                        lost.put(e.getKey(), e.getValue().listener);
                                        e.getValue()
                                                .listener
                                                .lost(e.getKey().queue(), e.getKey().partition());
                                        return true;
                                    });
                });
    }

    /** A new session: lost leases are taken back in place under the next epoch. */
    public void newSession() {
        run(
                () -> {
                    lost.forEach(
                            (key, listener) -> {
                                Holder h = new Holder(ownerId, nextEpoch(key), listener);
                                holders.put(key, h);
                                listener.regained(token(key, h));
                            });
                    lost.clear();
                    synchronized (resumed) {
                        paused = false;
                        resumed.notifyAll();
                    }
                });
    }

    /** Sets the group's committed position, as an earlier reader would have. */
    public void setCommitted(String queue, int partition, Position position) {
        run(() -> committed.put(new Key(queue, partition), new CommittedPosition(position, 0, -1)));
    }

    /** Commits stored so far, in order. */
    public List<Commit> commits() {
        return call(() -> List.copyOf(commits));
    }

    /** Who holds the partition now, if anyone. */
    public Optional<String> holder(String queue, int partition) {
        return call(
                () ->
                        Optional.ofNullable(holders.get(new Key(queue, partition)))
                                .map(h -> h.ownerId));
    }

    // ---- LeaseService ----

    @Override
    public String group() {
        return group;
    }

    @Override
    public String ownerId() {
        return ownerId;
    }

    @Override
    public void acquire(String queue, int partition, LeaseListener listener) {
        Key key = new Key(queue, partition);
        run(
                () -> {
                    Holder current = holders.get(key);
                    if (current == null || current.ownerId.equals(ownerId)) {
                        take(key, listener);
                        return;
                    }
                    waiting.put(key, listener);
                    listener.waiting(describe(current), 0);
                    thread.schedule(
                            () -> {
                                if (waiting.remove(key, listener)) {
                                    listener.doneWaiting(timeout.toMillis());
                                    listener.failed(
                                            new OwnershipTimeoutException(
                                                    "Owner '"
                                                            + ownerId
                                                            + "' waited "
                                                            + timeout.toMillis()
                                                            + " ms for queue '"
                                                            + queue
                                                            + "' partition "
                                                            + partition
                                                            + " of group '"
                                                            + group
                                                            + "', held by "
                                                            + describe(holders.get(key))));
                                }
                            },
                            timeout.toMillis(),
                            TimeUnit.MILLISECONDS);
                });
    }

    /** The other owner lets go: a waiting acquire takes the lease. */
    public void releaseElsewhere(String queue, int partition) {
        Key key = new Key(queue, partition);
        run(
                () -> {
                    holders.remove(key);
                    LeaseListener next = waiting.remove(key);
                    if (next != null) {
                        next.doneWaiting(0);
                        take(key, next);
                    }
                });
    }

    private void take(Key key, LeaseListener listener) {
        Holder h = new Holder(ownerId, nextEpoch(key), listener);
        try {
            listener.acquired(token(key, h), Optional.ofNullable(committed.get(key)));
            holders.put(key, h);
        } catch (Exception e) {
            listener.failed(
                    e instanceof ZkmqException z ? z : new ZkmqException("acquired() failed", e));
        }
    }

    @Override
    public Optional<OwnershipToken> token(String queue, int partition) {
        return call(
                () -> {
                    Key key = new Key(queue, partition);
                    Holder h = holders.get(key);
                    return h != null && h.listener != null
                            ? Optional.of(token(key, h))
                            : Optional.empty();
                });
    }

    @Override
    public CompletableFuture<Boolean> commit(
            String queue, int partition, Position position, long checkpointId) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Key key = new Key(queue, partition);
        run(
                () -> {
                    Holder h = holders.get(key);
                    if (h != null && h.listener != null) {
                        commits.add(new Commit(queue, partition, position, checkpointId, h.epoch));
                        committed.put(key, new CommittedPosition(position, h.epoch, checkpointId));
                        result.complete(true);
                    } else if (h != null) {
                        result.completeExceptionally(
                                new FencedException(
                                        "Commit of "
                                                + position
                                                + " to queue '"
                                                + queue
                                                + "' partition "
                                                + partition
                                                + " for group '"
                                                + group
                                                + "' rejected: owner '"
                                                + ownerId
                                                + "' was taken over since by "
                                                + describe(h)));
                    } else {
                        result.complete(false);
                    }
                });
        return result;
    }

    @Override
    public CompletableFuture<Void> release(String queue, int partition) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        Key key = new Key(queue, partition);
        run(
                () -> {
                    waiting.remove(key);
                    lost.remove(key);
                    Holder h = holders.get(key);
                    if (h != null && h.listener != null) {
                        holders.remove(key);
                    }
                    result.complete(null);
                });
        return result;
    }

    @Override
    public boolean paused() {
        return paused;
    }

    @Override
    public void awaitResumed(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (resumed) {
            while (paused && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(resumed, left);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        run(() -> holders.values().removeIf(h -> h.listener != null));
        thread.shutdown();
    }

    private int nextEpoch(Key key) {
        return epochs.merge(key, 1, Integer::sum);
    }

    private OwnershipToken token(Key key, Holder h) {
        return new OwnershipToken(key.queue(), group, key.partition(), h.ownerId, h.epoch);
    }

    private static String describe(Holder h) {
        return h == null ? "nobody" : "owner '" + h.ownerId + "' (epoch " + h.epoch + ")";
    }

    private void run(Runnable task) {
        call(
                () -> {
                    task.run();
                    return null;
                });
    }

    /** Runs on the service thread and waits, so a test's call has taken effect when it returns. */
    private <T> T call(java.util.concurrent.Callable<T> task) {
        try {
            if (Thread.currentThread() == serviceThread || thread.isShutdown()) {
                return task.call(); // from a callback (e.g. a release when a commit completes), or
                // after close
            }
            return thread.submit(task).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Fake lease service call failed", e);
        }
    }
}
