package io.zkmq.source.reader;

import io.zkmq.client.ZkmqClient;
import io.zkmq.coordination.OwnershipToken;
import io.zkmq.coordination.PartitionOwnership;
import io.zkmq.error.FencedException;
import io.zkmq.error.OwnershipTimeoutException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.OwnerInfo;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.source.StartingPosition;
import io.zkmq.source.split.ZkmqSplit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A reader's side of the group's exactly-one-reader locks (design section 4): takes a partition's
 * owner + epoch lock before its split is read, commits positions fenced by the epoch, releases
 * locks on split end and close, and watches the ZooKeeper connection. All ZooKeeper calls run on
 * one lock thread, never on Flink's fetcher or mailbox thread.
 *
 * <p>Another owner's lock is waited for (the holder is logged and exposed as a metric) up to the
 * lock timeout, then the reader fails with {@link OwnershipTimeoutException} naming the holder.
 * While the connection is SUSPENDED the split reader stops emitting. If the session expires (LOST),
 * ZooKeeper has released the locks: the reader keeps not emitting, and once Curator has a new
 * session it takes its partitions back in place (same owner id, next epoch) and goes on from where
 * it was, without a failover. If another reader took a partition meanwhile, it waits for it as for
 * any held lock and fails after the lock timeout; a fenced commit fails the reader at once. A
 * failure hands the splits back to the enumerator through Flink's failover, with the checkpointed
 * positions.
 */
final class PartitionLocks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLocks.class);
    private static final long RETRY_MILLIS_MAX = 1_000;

    /** Called on the lock thread once a split's lock is held and its start resolved. */
    interface Listener {
        void taken(ZkmqSplit split, Position position);

        /** The split's queue or partition no longer exists. */
        void gone(ZkmqSplit split, String why);
    }

    private final ZkmqClient client;
    private final String group;
    private final String ownerId;
    private final Duration lockTimeout;
    private final ZkmqSourceReaderMetrics metrics;
    private final ScheduledExecutorService executor;
    private final Map<QueuePartition, OwnershipToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Position> resolved = new ConcurrentHashMap<>();
    /** Finished splits whose lock is kept until their final position is committed. */
    private final Set<QueuePartition> releaseAfterCommit = ConcurrentHashMap.newKeySet();
    private final AtomicReference<ZkmqException> failure = new AtomicReference<>();
    private final ConnectionStateListener connectionListener = this::onConnectionState;
    private final Object connectedSignal = new Object();
    /** Partitions whose locks went with an expired session and are not taken back yet. */
    private final Set<QueuePartition> retaking = ConcurrentHashMap.newKeySet();
    /** Counts session losses, so that take-back attempts of an earlier loss stop. */
    private final AtomicInteger losses = new AtomicInteger();
    private volatile boolean lost;
    private volatile boolean suspended;
    private volatile boolean closed;

    PartitionLocks(ZkmqClient client, String group, String ownerId, Duration lockTimeout,
                   ZkmqSourceReaderMetrics metrics, int subtask) {
        this.client = client;
        this.group = group;
        this.ownerId = ownerId;
        this.lockTimeout = lockTimeout;
        this.metrics = metrics;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zkmq-source-locks-" + subtask);
            t.setDaemon(true);
            return t;
        });
        client.curator().getConnectionStateListenable().addListener(connectionListener);
    }

    String ownerId() {
        return ownerId;
    }

    ZkmqClient client() {
        return client;
    }

    /** Takes the split's lock (waiting if another owner holds it) and resolves where to start. */
    void acquire(ZkmqSplit split, Listener listener) {
        long startedNanos = System.nanoTime();
        Take take = new Take(split.queuePartition(), "", () -> !closed,
                token -> {
                    Position start = split.position().isPresent()
                            ? split.position().get() : resolve(split, ownership(split.queuePartition()));
                    resolved.put(split.splitId(), start);
                    listener.taken(split, start);
                },
                why -> listener.gone(split, why));
        executor.execute(() -> attempt(take, startedNanos, System.nanoTime(), 50, false));
    }

    /**
     * One wait for a partition's lock: {@code purpose} goes into log lines and the timeout message,
     * {@code stillWanted} is checked before every try, {@code taken} runs once the token is stored.
     */
    private record Take(QueuePartition partition, String purpose, BooleanSupplier stillWanted,
                        TokenConsumer taken, Consumer<String> gone) {}

    @FunctionalInterface
    private interface TokenConsumer {
        void accept(OwnershipToken token) throws Exception;
    }

    private void attempt(Take take, long startedNanos, long lastNanos, long retryMillis, boolean reported) {
        if (closed || !take.stillWanted().getAsBoolean()) {
            return;
        }
        QueuePartition p = take.partition();
        PartitionOwnership ownership = ownership(p);
        long now = System.nanoTime();
        long sinceLast = TimeUnit.NANOSECONDS.toMillis(now - lastNanos);
        String holder;
        try {
            PartitionOwnership.Attempt attempt = ownership.tryTake(ownerId);
            if (attempt.taken()) {
                tokens.put(p, attempt.token().get());
                metrics.doneWaiting(p.splitId(), sinceLast);
                if (reported) {
                    LOG.info("Took {} of group '{}'{} after waiting {} ms", p, group, take.purpose(),
                            TimeUnit.NANOSECONDS.toMillis(now - startedNanos));
                }
                take.taken().accept(attempt.token().get());
                return;
            }
            holder = attempt.holder().map(PartitionLocks::describe).orElse("an owner that just left");
        } catch (QueueNotFoundException e) {
            metrics.doneWaiting(p.splitId(), sinceLast);
            take.gone().accept(e.getMessage());
            return;
        } catch (Exception e) {
            holder = "unknown (ZooKeeper error: " + e + ")";
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(now - startedNanos);
        metrics.waiting(p.splitId(), holder, sinceLast);
        if (waited >= lockTimeout.toMillis()) {
            fail(new OwnershipTimeoutException("Reader '" + ownerId + "' waited " + waited + " ms for " + p + " of group '"
                    + group + "'" + take.purpose() + ", held by " + holder + ". Another job or client of the same group is"
                    + " reading it: stop it, use another group, or raise 'lock.timeout' (now " + lockTimeout.toMillis() + " ms)"));
            return;
        }
        if (!reported) {
            LOG.warn("{} of group '{}' is held by {}; reader '{}' waits up to {} ms for it{}", p, group, holder, ownerId,
                    lockTimeout.toMillis(), take.purpose());
        }
        long next = Math.min(RETRY_MILLIS_MAX, retryMillis * 2);
        executor.schedule(() -> attempt(take, startedNanos, now, next, true), retryMillis, TimeUnit.MILLISECONDS);
    }

    /** After a new session: takes every partition whose lock went with the old one back, then lets emitting resume. */
    private void retakeAll() {
        int loss = losses.get();
        if (retaking.isEmpty()) {
            signalConnected();
            return;
        }
        LOG.info("Reader '{}' has a new ZooKeeper session; taking back {} of group '{}'", ownerId, retaking, group);
        long startedNanos = System.nanoTime();
        for (QueuePartition p : List.copyOf(retaking)) {
            Take take = new Take(p, " (taking it back after the session expired)",
                    () -> losses.get() == loss && retaking.contains(p),
                    token -> retaken(p),
                    why -> retaken(p)); // the split ends through its fetch, which sees the queue gone
            attempt(take, startedNanos, startedNanos, 50, false);
        }
    }

    private void retaken(QueuePartition p) {
        retaking.remove(p);
        if (retaking.isEmpty() && !lost) {
            LOG.info("Reader '{}' holds its partitions of group '{}' again; emitting resumes", ownerId, group);
            signalConnected();
        }
    }

    private static String describe(OwnerInfo o) {
        return "owner '" + o.ownerId() + "' (epoch " + o.epoch() + ", session 0x" + Long.toHexString(o.sessionId()) + ")";
    }

    private Position resolve(ZkmqSplit split, PartitionOwnership ownership) throws Exception {
        StartingPosition start = split.start();
        if (start.kind() == StartingPosition.Kind.COMMITTED) {
            Optional<CommittedPosition> committed = ownership.committed();
            if (committed.isPresent()) {
                return committed.get().position();
            }
            start = start.fallback();
        }
        return client.admin().resolvePosition(split.queue(), split.partition(), start.toClientPosition());
    }

    /** The position resolved for a split before any record was emitted, if any. */
    Optional<Position> resolvedPosition(String splitId) {
        return Optional.ofNullable(resolved.get(splitId));
    }

    /** Keeps a finished split's lock until {@link #commit} has committed its final position, then releases it. */
    void releaseAfterFinalCommit(QueuePartition p) {
        resolved.remove(p.splitId());
        if (tokens.containsKey(p) || retaking.contains(p)) {
            releaseAfterCommit.add(p);
        }
    }

    /** Releases a split's lock (asynchronously). */
    void release(QueuePartition p) {
        releaseAfterCommit.remove(p);
        if (retaking.contains(p)) {
            retaken(p); // no longer wanted: emitting may resume once the others are back
        }
        resolved.remove(p.splitId());
        OwnershipToken token = tokens.remove(p);
        if (token != null && !closed) {
            executor.execute(() -> releaseNow(p, token));
        }
    }

    private void releaseNow(QueuePartition p, OwnershipToken token) {
        try {
            ownership(p).release(token);
        } catch (Exception e) {
            LOG.info("Could not release {} of group '{}' ({}); it is freed when this reader's session ends", p, group,
                    e.toString());
        }
    }

    /** Commits positions of held partitions, fenced by their lock epochs (asynchronously). */
    void commit(Map<QueuePartition, Position> positions, long checkpointId) {
        if (closed) {
            return;
        }
        executor.execute(() -> positions.forEach((p, position) -> {
            OwnershipToken token = tokens.get(p);
            if (token == null) {
                return; // released since the checkpoint
            }
            try {
                ownership(p).commit(token, new CommittedPosition(position, token.epoch(), checkpointId));
                metrics.commitSucceeded();
                if (releaseAfterCommit.remove(p) && tokens.remove(p, token)) {
                    releaseNow(p, token); // a finished split's final position is in: its lock can go
                }
            } catch (FencedException e) {
                metrics.commitFailed();
                metrics.ownershipLost();
                fail(e);
            } catch (Exception e) {
                metrics.commitFailed();
                LOG.warn("Committing {} of {} for checkpoint {} failed; the next checkpoint commits again: {}",
                        position, p, checkpointId, e.toString());
            }
        }));
    }

    /** Throws the first fatal error of the lock thread (lock timeout, fencing, lost session). */
    void checkFailure() {
        ZkmqException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    boolean isSuspended() {
        return suspended;
    }

    /** Waits up to {@code timeout} for the connection to come back. */
    void awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (connectedSignal) {
            while (suspended && failure.get() == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(connectedSignal, left);
            }
        }
    }

    private void onConnectionState(CuratorFramework c, ConnectionState state) {
        switch (state) {
            case SUSPENDED:
                suspended = true;
                LOG.warn("ZooKeeper connection of reader '{}' suspended: it stops emitting until reconnected", ownerId);
                break;
            case RECONNECTED:
            case CONNECTED:
                if (lost) {
                    lost = false;
                    executor.execute(this::retakeAll);
                } else if (retaking.isEmpty()) {
                    signalConnected();
                }
                break;
            case LOST:
                // The session expired: ZooKeeper deleted our owner nodes, so the tokens are void. Stop emitting
                // until the partitions are taken back under the new session.
                suspended = true;
                lost = true;
                losses.incrementAndGet();
                Set<QueuePartition> held = Set.copyOf(tokens.keySet());
                if (!held.isEmpty()) {
                    metrics.ownershipLost();
                    retaking.addAll(held);
                    held.forEach(tokens::remove);
                    LOG.warn("The ZooKeeper session of reader '{}' expired, which released its locks on {} of group '{}';"
                            + " it stops emitting and takes them back once reconnected", ownerId, held, group);
                }
                break;
            default:
                break;
        }
    }

    private void signalConnected() {
        synchronized (connectedSignal) {
            suspended = false;
            connectedSignal.notifyAll();
        }
    }

    private void fail(ZkmqException e) {
        if (failure.compareAndSet(null, e)) {
            LOG.error("ZKMQ reader '{}' fails: {}", ownerId, e.getMessage());
        }
        signalConnected();
    }

    private PartitionOwnership ownership(QueuePartition p) {
        return new PartitionOwnership(client.curator(), p.queue(), group, p.partition());
    }

    /** Runs {@code task} every {@code period} on the lock thread. */
    void every(Duration period, Runnable task) {
        executor.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Releases every held lock (bounded wait) and stops the lock thread. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.curator().getConnectionStateListenable().removeListener(connectionListener);
        // Queued behind any commit still pending on the lock thread (e.g. the final checkpoint's), which
        // needs the tokens.
        executor.execute(() -> {
            Map<QueuePartition, OwnershipToken> held = Map.copyOf(tokens);
            tokens.clear();
            held.forEach(this::releaseNow);
        });
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Releasing locks of reader '{}' took over 10 s; they are freed when its session closes", ownerId);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
