package io.zkmq.coordination;

import io.zkmq.error.FencedException;
import io.zkmq.error.ZooKeeperUnavailableException;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LeaseService} on ZooKeeper: each lease is a {@link PartitionOwnership} (owner + epoch
 * znodes), and every ZooKeeper call runs on one lease thread, never on the caller's. A wait for
 * another holder retries with a backoff up to one second until the lease timeout ({@link
 * LeaseTaker}).
 */
@Internal
public final class ZkLeaseService implements LeaseService {
    private static final Logger LOG = LoggerFactory.getLogger(ZkLeaseService.class);

    private final CuratorFramework curator;
    private final String group;
    private final String ownerId;
    private final Duration timeout;
    private final String timeoutSetting;
    private final ScheduledExecutorService executor;
    private final LeaseTaker taker;
    private final ConnectionStateListener connectionListener = this::onConnectionState;
    private final Map<QueuePartition, Lease> leases = new ConcurrentHashMap<>();
    private final Object resumed = new Object();
    private volatile boolean connected = true;

    /** Set on LOST (Curator's thread) until the lease thread has marked the held leases lost. */
    private volatile boolean lossPending;

    /** Leases lost with a session and not taken back yet (lease thread writes). */
    private volatile int retaking;

    /**
     * A session was lost since the last reconnect: the next one starts the take-backs (lease thread
     * only).
     */
    private boolean retakeOnReconnect;

    private volatile boolean closed;

    /**
     * @param timeoutSetting how the caller names the lease timeout setting, for the timeout error
     * @param threadName name of the lease thread
     */
    public ZkLeaseService(
            CuratorFramework curator,
            String group,
            String ownerId,
            Duration timeout,
            String timeoutSetting,
            String threadName) {
        this.curator = curator;
        this.group = group;
        this.ownerId = ownerId;
        this.timeout = timeout;
        this.timeoutSetting = timeoutSetting;
        this.executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, threadName);
                            t.setDaemon(true);
                            return t;
                        });
        this.taker = new LeaseTaker(executor, this, group, ownerId, timeout, timeoutSetting);
        curator.getConnectionStateListenable().addListener(connectionListener);
    }

    /** Whether an attempt of this generation still counts: not released, replaced or fenced. */
    boolean isLive(Lease lease, int generation) {
        return !closed && leases.get(lease.key) == lease && lease.generation == generation;
    }

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
        QueuePartition key = new QueuePartition(queue, partition);
        executor.execute(
                () -> {
                    Lease lease =
                            new Lease(key, listener, new PartitionOwnership(curator, key, group));
                    Lease previous = leases.put(key, lease);
                    if (previous != null && previous.lost) {
                        retakeDone(previous);
                    }
                    long now = System.nanoTime();
                    taker.attempt(lease, 0, "", now, now, 50, false);
                });
    }

    @Override
    public Optional<OwnershipToken> token(String queue, int partition) {
        Lease lease = leases.get(new QueuePartition(queue, partition));
        return lease == null ? Optional.empty() : Optional.ofNullable(lease.token);
    }

    @Override
    public CompletableFuture<Boolean> commit(
            String queue, int partition, Position position, long checkpointId) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        QueuePartition key = new QueuePartition(queue, partition);
        onLeaseThread(
                result,
                () -> {
                    Lease lease = leases.get(key);
                    OwnershipToken token = lease == null ? null : lease.token;
                    if (token == null) {
                        result.complete(false);
                        return;
                    }
                    if (!connected || lossPending) {
                        // Stop committing while suspended: a commit would block this thread in
                        // Curator's retries for the whole outage and hold back the loss handling.
                        result.completeExceptionally(
                                new ZooKeeperUnavailableException(
                                        "ZooKeeper connection of owner '"
                                                + ownerId
                                                + "' is suspended: not committing "
                                                + key
                                                + " of group '"
                                                + group
                                                + "' until it is back"));
                        return;
                    }
                    try {
                        lease.ownership.commit(
                                token,
                                new CommittedPosition(position, token.epoch(), checkpointId));
                        result.complete(true);
                    } catch (FencedException e) {
                        if (e.getCause() instanceof KeeperException.SessionExpiredException) {
                            // Met the expiry before the LOST event: the lease went with the session
                            // and is taken back.
                            markLost(lease);
                            retakeOnReconnect = true;
                            result.complete(false);
                            return;
                        }
                        // Someone else holds the partition now: this lease is void for good.
                        if (leases.remove(key, lease)) {
                            lease.generation++;
                        }
                        result.completeExceptionally(e);
                    } catch (Exception e) {
                        result.completeExceptionally(e);
                    }
                });
        return result;
    }

    @Override
    public CompletableFuture<Void> release(String queue, int partition) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLeaseThread(
                result,
                () -> {
                    Lease lease = leases.remove(new QueuePartition(queue, partition));
                    if (lease != null) {
                        releaseNow(lease);
                    }
                    result.complete(null);
                });
        return result;
    }

    @Override
    public boolean paused() {
        return !connected || lossPending || retaking > 0;
    }

    @Override
    public void awaitResumed(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (resumed) {
            while (paused() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(resumed, left);
            }
        }
    }

    /** The lease cannot be had: forget it and tell its listener. */
    void give(Lease lease, io.zkmq.error.ZkmqException error, long sinceLast) {
        leases.remove(lease.key, lease);
        if (lease.lost) {
            retakeDone(lease);
        }
        lease.listener.doneWaiting(sinceLast);
        lease.listener.failed(error);
    }

    private void onConnectionState(CuratorFramework client, ConnectionState state) {
        switch (state) {
            case SUSPENDED -> {
                connected = false;
                LOG.warn(
                        "ZooKeeper connection of owner '{}' suspended: it stops emitting until reconnected",
                        ownerId);
            }
            case LOST -> {
                connected = false;
                lossPending = true;
                executor.execute(this::onSessionLost);
            }
            case CONNECTED, RECONNECTED -> {
                connected = true;
                executor.execute(this::onReconnected);
            }
            default -> {}
        }
    }

    /** The session expired: ZooKeeper deleted our owner znodes, so every held token is void. */
    private void onSessionLost() {
        List<Lease> held = leases.values().stream().filter(l -> l.token != null || l.lost).toList();
        held.forEach(this::markLost);
        retakeOnReconnect = true;
        lossPending = false;
        if (!held.isEmpty()) {
            LOG.warn(
                    "The ZooKeeper session of owner '{}' expired, which released its leases on {} of group '{}'; it stops"
                            + " emitting and takes them back once reconnected",
                    ownerId,
                    held.stream().map(l -> l.key).toList(),
                    group);
        }
        signalIfResumed();
    }

    private void markLost(Lease lease) {
        lease.generation++; // stops a take-back of an earlier loss
        lease.token = null;
        if (!lease.lost) {
            lease.lost = true;
            retaking++;
            lease.listener.lost(lease.key.queue(), lease.key.partition());
        }
    }

    /** After a new session: takes every lease lost with the old one back in place. */
    private void onReconnected() {
        if (retakeOnReconnect) {
            retakeOnReconnect = false;
            long now = System.nanoTime();
            for (Lease lease : List.copyOf(leases.values())) {
                if (lease.lost) {
                    LOG.info(
                            "Owner '{}' has a new ZooKeeper session; taking back {} of group '{}'",
                            ownerId,
                            lease.key,
                            group);
                    taker.attempt(
                            lease,
                            ++lease.generation,
                            " (taking it back after the session expired)",
                            now,
                            now,
                            50,
                            false);
                }
            }
        }
        signalIfResumed();
    }

    void retakeDone(Lease lease) {
        lease.lost = false;
        retaking--;
        if (retaking == 0) {
            LOG.info(
                    "Owner '{}' holds its leases of group '{}' again; emitting resumes",
                    ownerId,
                    group);
        }
        signalIfResumed();
    }

    private void signalIfResumed() {
        synchronized (resumed) {
            resumed.notifyAll();
        }
    }

    private void releaseNow(Lease lease) {
        lease.generation++;
        if (lease.lost) {
            retakeDone(lease); // no longer wanted: emitting may resume once the others are back
        }
        OwnershipToken token = lease.token;
        lease.token = null;
        if (token != null) {
            releaseQuietly(lease, token);
        }
    }

    void releaseQuietly(Lease lease, OwnershipToken token) {
        try {
            lease.ownership.release(token);
        } catch (Exception e) {
            LOG.info(
                    "Could not release {} of group '{}' ({}); it is freed when the session of owner '{}' ends",
                    lease.key,
                    group,
                    e.toString(),
                    ownerId);
        }
    }

    private void onLeaseThread(CompletableFuture<?> result, Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(
                    new IllegalStateException(
                            "Leases of owner '" + ownerId + "' in group '" + group + "' are closed",
                            e));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        curator.getConnectionStateListenable().removeListener(connectionListener);
        signalIfResumed();
        // Queued behind any commit still pending (e.g. a final checkpoint's), which needs the
        // tokens.
        executor.execute(
                () -> {
                    List<Lease> held = List.copyOf(leases.values());
                    leases.clear();
                    held.forEach(this::releaseNow);
                });
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn(
                        "Releasing the leases of owner '{}' took over 10 s; they are freed when its session closes",
                        ownerId);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
