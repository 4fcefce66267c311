package io.zkmq.source.reader;

import io.zkmq.coordination.LeaseListener;
import io.zkmq.coordination.LeaseService;
import io.zkmq.coordination.OwnershipToken;
import io.zkmq.error.FencedException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.split.ZkmqSplit;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reader's side of the group's exactly-one-reader leases, on the shared {@link LeaseService}
 * (design section 4): the lease of a split's partition is taken before the split is read, its start
 * is resolved, positions are committed fenced by the lease, and the lease is released when the
 * split ends.
 *
 * <p>Another owner's lease is waited for (the holder is exposed as a metric) up to the lock
 * timeout, then the reader fails with the service's {@code OwnershipTimeoutException} naming the
 * holder. While the service is paused (connection suspended, or leases lost with an expired session
 * and not taken back yet) the split reader stops emitting; the leases come back in place and
 * reading goes on from where it was, without a failover. A fenced commit fails the reader at once;
 * a failure hands the splits back to the enumerator through Flink's failover, with the checkpointed
 * positions.
 */
final class PartitionLocks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLocks.class);

    /** Called on the lease thread once a split's lease is held and its start resolved. */
    interface Listener {
        void taken(ZkmqSplit split, Position position);

        /** The split's queue or partition no longer exists. */
        void gone(ZkmqSplit split, String why);
    }

    /** Where a start position lies in a partition (a ZooKeeper read in production). */
    @FunctionalInterface
    interface PositionResolver {
        Position resolve(String queue, int partition, StartingPosition start);
    }

    private final LeaseService leases;
    private final PositionResolver resolver;
    private final ZkmqSourceReaderMetrics metrics;
    private final Map<String, Position> resolved = new ConcurrentHashMap<>();

    /** Finished splits whose lease is kept until their final position is committed. */
    private final Set<QueuePartition> releaseAfterCommit = ConcurrentHashMap.newKeySet();

    private final AtomicReference<ZkmqException> failure = new AtomicReference<>();
    private volatile boolean closed;

    PartitionLocks(
            LeaseService leases, PositionResolver resolver, ZkmqSourceReaderMetrics metrics) {
        this.leases = leases;
        this.resolver = resolver;
        this.metrics = metrics;
    }

    String ownerId() {
        return leases.ownerId();
    }

    /** Takes the split's lease (waiting if another owner holds it) and resolves where to start. */
    void acquire(ZkmqSplit split, Listener listener) {
        String splitId = split.splitId();
        leases.acquire(
                split.queue(),
                split.partition(),
                new LeaseListener() {
                    @Override
                    public void acquired(
                            OwnershipToken token, Optional<CommittedPosition> committed) {
                        Position start =
                                split.position().isPresent()
                                        ? split.position().get()
                                        : resolve(split, committed);
                        resolved.put(splitId, start);
                        listener.taken(split, start);
                    }

                    @Override
                    public void failed(ZkmqException error) {
                        if (error instanceof QueueNotFoundException) {
                            listener.gone(split, error.getMessage());
                        } else {
                            fail(error);
                        }
                    }

                    @Override
                    public void lost(String queue, int partition) {
                        metrics.ownershipLost();
                    }

                    @Override
                    public void waiting(String holder, long millisSinceLastCall) {
                        metrics.waiting(splitId, holder, millisSinceLastCall);
                    }

                    @Override
                    public void doneWaiting(long millisSinceLastCall) {
                        metrics.doneWaiting(splitId, millisSinceLastCall);
                    }
                });
    }

    private Position resolve(ZkmqSplit split, Optional<CommittedPosition> committed) {
        StartingPosition start = split.start();
        if (start.kind() == StartingPosition.Kind.COMMITTED) {
            if (committed.isPresent()) {
                return committed.get().position();
            }
            start = start.fallback();
        }
        return resolver.resolve(split.queue(), split.partition(), start);
    }

    /** The position resolved for a split before any record was emitted, if any. */
    Optional<Position> resolvedPosition(String splitId) {
        return Optional.ofNullable(resolved.get(splitId));
    }

    /**
     * Keeps a finished split's lease until {@link #commit} has committed its final position, then
     * releases it.
     */
    void releaseAfterFinalCommit(QueuePartition p) {
        resolved.remove(p.splitId());
        releaseAfterCommit.add(p);
    }

    /** Releases a split's lease (asynchronously). */
    void release(QueuePartition p) {
        releaseAfterCommit.remove(p);
        resolved.remove(p.splitId());
        if (!closed) {
            leases.release(p.queue(), p.partition());
        }
    }

    /** Commits positions of held partitions, fenced by their leases (asynchronously). */
    void commit(Map<QueuePartition, Position> positions, long checkpointId) {
        if (closed) {
            return;
        }
        positions.forEach(
                (p, position) ->
                        leases.commit(p.queue(), p.partition(), position, checkpointId)
                                .whenComplete(
                                        (stored, error) -> {
                                            if (error == null) {
                                                if (stored) {
                                                    metrics.commitSucceeded();
                                                    if (releaseAfterCommit.remove(p)) {
                                                        leases.release(
                                                                p.queue(),
                                                                p.partition()); // the final
                                                        // position
                                                        // is in: the
                                                        // lease can
                                                        // go
                                                    }
                                                } // else released since the checkpoint, or being
                                                // taken back: the next checkpoint commits
                                                return;
                                            }
                                            Throwable cause =
                                                    error instanceof CompletionException
                                                                    && error.getCause() != null
                                                            ? error.getCause()
                                                            : error;
                                            metrics.commitFailed();
                                            if (cause instanceof FencedException fenced) {
                                                metrics.ownershipLost();
                                                fail(fenced);
                                            } else {
                                                LOG.warn(
                                                        "Committing {} of {} for checkpoint {} failed; the next checkpoint commits again: {}",
                                                        position,
                                                        p,
                                                        checkpointId,
                                                        cause.toString());
                                            }
                                        }));
    }

    /** Throws the first fatal error (lease timeout, fencing). */
    void checkFailure() {
        ZkmqException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** Whether emitting must stop: the connection is suspended or lost leases are not back yet. */
    boolean isSuspended() {
        return leases.paused() && failure.get() == null;
    }

    /** Waits up to {@code timeout} for emitting to be allowed again. */
    void awaitConnected(Duration timeout) throws InterruptedException {
        leases.awaitResumed(timeout);
    }

    private void fail(ZkmqException e) {
        if (failure.compareAndSet(null, e)) {
            LOG.error("ZKMQ reader '{}' fails: {}", leases.ownerId(), e.getMessage());
        }
    }

    /** Releases every held lease (bounded wait). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        leases.close();
    }
}
