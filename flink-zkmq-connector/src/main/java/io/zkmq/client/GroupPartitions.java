package io.zkmq.client;

import io.zkmq.coordination.GroupCoordinator;
import io.zkmq.coordination.LeaseService;
import io.zkmq.coordination.OwnershipToken;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.Position;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group consumer's partitions: brings the held leases in line with the group's assignment and
 * reacts to lease events. Runs on the polling thread, except {@link #reconcileLater}.
 */
final class GroupPartitions {
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqConsumer.class);

    private final String queue;
    private final ConsumerOptions options;
    private final GroupCoordinator coordinator;
    private final LeaseService leases;
    private final PartitionReads reads;
    private final OffsetCommitter committer;
    private final LeaseEvents events;
    private final BooleanSupplier closed;
    private final Map<Integer, OwnershipToken> owned = new TreeMap<>();

    /** Partitions whose lease was asked for (held, waited for, or being taken back). */
    private final Set<Integer> wanted = new TreeSet<>();

    /**
     * Wanted partitions whose first take attempt has not answered yet: poll emits nothing until it
     * has, so a change of assignment is taken as a whole, as one synchronous step would.
     */
    private final Set<Integer> firstAttempt = new TreeSet<>();

    private final AtomicBoolean reconcileNeeded = new AtomicBoolean(true);

    GroupPartitions(
            String queue,
            ConsumerOptions options,
            GroupCoordinator coordinator,
            LeaseService leases,
            PartitionReads reads,
            OffsetCommitter committer,
            BooleanSupplier closed) {
        this.queue = queue;
        this.options = options;
        this.coordinator = coordinator;
        this.leases = leases;
        this.reads = reads;
        this.committer = committer;
        this.closed = closed;
        this.events = new LeaseEvents(reads.fetcher());
    }

    /** Asks the next poll to compare the held partitions with the assignment. Thread-safe. */
    void reconcileLater() {
        reconcileNeeded.set(true);
    }

    /** One poll step: handles lease events, then follows the assignment. */
    void step() {
        events.runPending();
        reconcile();
    }

    /** True while a lease may be gone or is not answered yet: poll must not emit. */
    boolean holdBack() {
        return leases.paused() || !firstAttempt.isEmpty();
    }

    void commit() {
        committer.commit(owned.keySet(), this::drop);
    }

    /** Releases every lease (without committing). */
    void close() {
        leases.close();
        owned.clear();
    }

    private void reconcile() {
        if (!reconcileNeeded.getAndSet(false)) {
            return;
        }
        Set<Integer> target = coordinator.assignedPartitions();
        for (Integer p : new ArrayList<>(wanted)) {
            if (!target.contains(p)) {
                release(p);
            }
        }
        for (Integer p : target) {
            if (wanted.add(p)) {
                firstAttempt.add(p);
                leases.acquire(queue, p, events.listenerFor(p, this));
            }
        }
    }

    /**
     * Gives a partition back after the assignment moved it away. Nothing is committed here: only
     * the caller knows which returned records it has processed, so the next owner resumes from the
     * last explicit commit (at-least-once).
     */
    private void release(int p) {
        wanted.remove(p);
        firstAttempt.remove(p);
        leases.release(queue, p);
        drop(p);
    }

    private void drop(int p) {
        if (owned.remove(p) != null && wanted.remove(p)) {
            reconcileNeeded.set(true); // fenced: take it anew if still assigned
        }
        reads.forget(p);
        committer.forget(p);
    }

    // Lease events, run on the polling thread by LeaseEvents.

    void acquired(int p, OwnershipToken token, Optional<CommittedPosition> committedPosition) {
        firstAttempt.remove(p);
        if (!wanted.contains(p) || closed.getAsBoolean()) {
            return; // released meanwhile: the lease thread releases it in order
        }
        owned.put(p, token);
        Position start =
                committedPosition.isPresent()
                        ? committedPosition.get().position()
                        : reads.resolve(p, options.startWithoutCommit());
        committedPosition.ifPresent(cp -> committer.remember(p, cp.position()));
        reads.startFetching(p, start);
        LOG.info(
                "Queue '{}' group '{}': member {} took partition {} at epoch {}, reading from {}",
                queue,
                token.group(),
                options.memberId(),
                p,
                token.epoch(),
                start);
    }

    void failed(int p, ZkmqException error) {
        firstAttempt.remove(p);
        if (wanted.remove(p)) {
            reconcileNeeded.set(true); // asked for again by the next poll while still assigned
            throw error;
        }
    }

    void waiting(int p) {
        firstAttempt.remove(p);
    }

    void lost(int p) {
        if (owned.remove(p) != null) {
            LOG.warn(
                    "Queue '{}' partition {}: ZooKeeper session expired; taking the partition back, to resume"
                            + " at {}",
                    queue,
                    p,
                    reads.position(p));
        }
    }

    void regained(int p, OwnershipToken token) {
        if (wanted.contains(p) && reads.reads(p)) {
            owned.put(p, token);
            LOG.info(
                    "Queue '{}' partition {}: taken back at epoch {}, resuming at {}",
                    queue,
                    p,
                    token.epoch(),
                    reads.position(p));
        }
    }
}
