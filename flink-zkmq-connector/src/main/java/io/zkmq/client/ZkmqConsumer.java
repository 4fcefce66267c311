package io.zkmq.client;

import io.zkmq.coordination.GroupCoordinator;
import io.zkmq.coordination.LeaseListener;
import io.zkmq.coordination.LeaseService;
import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.coordination.MemberRegistration;
import io.zkmq.coordination.OwnershipToken;
import io.zkmq.coordination.QueueConfigWatcher;
import io.zkmq.coordination.ZkLeaseService;
import io.zkmq.error.FencedException;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.error.OwnershipTimeoutException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.error.ZkmqTimeoutException;
import io.zkmq.error.ZooKeeperUnavailableException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.queue.QueueRecord;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.flink.annotation.PublicEvolving;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Reads one queue. Two modes:
 *
 * <ul>
 *   <li><b>Group</b> ({@link ConsumerOptions.Builder#group}): the consumer registers as a live
 *       member; the group leader spreads partitions over members with a sticky balanced
 *       assignment; before reading a partition the consumer takes its exactly-one-reader lease
 *       ({@link LeaseService}, the same one the Flink source uses); {@link #commit} stores
 *       positions fenced by the lease's epoch, so a consumer that lost a partition cannot commit it.
 *   <li><b>Manual</b> ({@link #assign}): reads given partitions from given positions, no group,
 *       no locks, no commits.
 * </ul>
 *
 * <p>Not thread-safe (like Kafka's consumer): use it from one thread, except {@link #wakeUp}.
 * While the ZooKeeper connection is suspended, poll returns nothing: a partition whose lease may be
 * gone must not be emitted from. If the session expires, the leases are taken back in place (same
 * member id, next epoch) and reading resumes from the consumer's own positions, not from the
 * committed offsets: nothing returned by poll is returned again.
 */
@PublicEvolving
public final class ZkmqConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqConsumer.class);

    private final ZkmqClient client;
    private final String queue;
    private final ConsumerOptions options;
    private final CuratorFramework curator;
    private final Fetcher fetcher;
    private final PositionResolver resolver;
    private final Map<Integer, Position> positions = new TreeMap<>();
    private final Map<Integer, Position> committed = new TreeMap<>();
    private final Map<Integer, OwnershipToken> owned = new TreeMap<>();
    /** Partitions whose lease was asked for (held, waited for, or being taken back). */
    private final Set<Integer> wanted = new TreeSet<>();
    /**
     * Wanted partitions whose first take attempt has not answered yet: poll emits nothing until it
     * has, so a change of assignment is taken as a whole, as one synchronous step would.
     */
    private final Set<Integer> firstAttempt = new TreeSet<>();
    /** Lease events, handed from the lease thread to the polling thread. */
    private final ConcurrentLinkedQueue<Runnable> leaseEvents = new ConcurrentLinkedQueue<>();
    private final LeaseService leases;
    private final ArrayDeque<Drained> leftover = new ArrayDeque<>();
    // A failed batch met after records were already collected: raised by the next poll, so the
    // records before it are returned first and nothing is lost.
    private FetchedBatch deferred;
    private final AtomicBoolean reconcileNeeded = new AtomicBoolean(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean wakeUpRequested = new AtomicBoolean();
    private volatile boolean queueDeleted;
    private final GroupCoordinator coordinator;
    private final MemberRegistration member;
    private final QueueConfigWatcher watcher;
    private final Consumer<Optional<QueueMetadata>> configListener;
    private final ConnectionStateListener connectionListener = this::onConnectionState;
    private volatile ConnectionState connection = ConnectionState.CONNECTED;

    ZkmqConsumer(ZkmqClient client, String queue, ConsumerOptions options) {
        this.client = client;
        this.queue = queue;
        this.options = options;
        this.curator = client.curator();
        this.watcher = client.configWatcher(queue);
        QueueMetadata meta = client.currentConfig(queue);
        this.fetcher = new Fetcher(curator, queue, meta.config().segmentBatches(), options.prefetchBatches());
        this.resolver = new PositionResolver(curator, client.admin(), queue, meta.config().segmentBatches());
        curator.getConnectionStateListenable().addListener(connectionListener);
        this.member = MemberRegistration.forRole(curator, queue, "consumer", options.memberId());
        member.start();
        if (options.group().isPresent()) {
            String group = options.group().get();
            this.leases = new ZkLeaseService(curator, group, options.memberId(), options.lockTimeout(),
                    "the consumer's lockTimeout", "zkmq-consumer-leases-" + options.memberId());
            this.coordinator = new GroupCoordinator(curator, queue, group, options.memberId(),
                    () -> client.currentConfig(queue).config().partitions(), this::onAssignmentChange);
            this.configListener = m -> {
                onConfig(m);
                coordinator.onConfig(m);
            };
            watcher.addListener(configListener);
            try {
                coordinator.start();
            } catch (Exception e) {
                close();
                throw ZkErrors.translate(e, "joining group '" + group + "' of queue '" + queue + "'");
            }
        } else {
            this.leases = null;
            this.coordinator = null;
            this.configListener = m -> onConfig(m);
            watcher.addListener(configListener);
        }
        if (options.joinMaintenance()) {
            client.joinMaintenance(queue, new MaintenanceLeader.Settings(client.options().maintenanceInterval()));
        }
    }

    public String queue() {
        return queue;
    }

    public String memberId() {
        return options.memberId();
    }

    /** Manual mode: reads the given partitions from the given positions (replacing earlier ones). */
    public void assign(Map<Integer, StartPosition> starts) {
        if (coordinator != null) {
            throw new IllegalStateException("Consumer of group '" + options.group().get()
                    + "' gets its partitions from the group; manual assign() is for consumers without a group");
        }
        int partitions = client.currentConfig(queue).config().partitions();
        for (Map.Entry<Integer, StartPosition> e : starts.entrySet()) {
            int p = e.getKey();
            if (p < 0 || p >= partitions) {
                throw new IllegalArgumentException("Queue '" + queue + "' has partitions 0.." + (partitions - 1) + ", not " + p);
            }
            startFetching(p, resolve(p, e.getValue()));
        }
    }

    /**
     * Moves the read position of a partition this consumer reads (in either mode), e.g. to
     * {@link StartPosition#earliest()} after an {@link OffsetOutOfRangeException}.
     */
    public void seek(int partition, StartPosition start) {
        if (!positions.containsKey(partition)) {
            throw new IllegalStateException("Queue '" + queue + "' partition " + partition + " is not read by this consumer");
        }
        startFetching(partition, resolve(partition, start));
    }

    /** Manual mode: every partition from the same start. */
    public void assignAll(StartPosition start) {
        Map<Integer, StartPosition> all = new TreeMap<>();
        for (int p = 0; p < client.currentConfig(queue).config().partitions(); p++) {
            all.put(p, start);
        }
        assign(all);
    }

    /** Partitions this consumer reads now (held locks in group mode). */
    public Set<Integer> assignment() {
        return Collections.unmodifiableSet(new TreeSet<>(positions.keySet()));
    }

    /** Next position per partition: everything before it was returned by poll. */
    public Map<Integer, Position> positions() {
        return Collections.unmodifiableMap(new TreeMap<>(positions));
    }

    /**
     * Returns the next records, waiting up to {@code timeout} for at least one. In group mode it
     * also takes and releases partitions as the group's assignment changes.
     */
    public List<QueueRecord> poll(Duration timeout) {
        checkOpen();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<QueueRecord> out = new ArrayList<>();
        try {
            while (true) {
                if (wakeUpRequested.getAndSet(false)) {
                    return out;
                }
                if (queueDeleted) {
                    throw new io.zkmq.error.QueueNotFoundException("Queue '" + queue + "' was deleted while this consumer was reading it");
                }
                if (coordinator != null) {
                    runLeaseEvents();
                    reconcile();
                }
                if (connection == ConnectionState.SUSPENDED || connection == ConnectionState.LOST
                        || (leases != null && (leases.paused() || !firstAttempt.isEmpty()))) {
                    // Stop emitting: our leases may already belong to someone else, or are being taken back.
                    if (waitUntil(deadline)) {
                        return out;
                    }
                    continue;
                }
                drainLeftover(out);
                if (out.size() >= options.maxPollRecords()) {
                    return out;
                }
                long remaining = deadline - System.nanoTime();
                FetchedBatch b;
                if (deferred != null) {
                    b = deferred;
                    deferred = null;
                } else {
                    b = out.isEmpty() && remaining > 0 ? fetcher.poll(Duration.ofNanos(remaining)) : fetcher.pollNow();
                }
                if (b == null) {
                    if (!out.isEmpty() || System.nanoTime() >= deadline) {
                        return out;
                    }
                    continue;
                }
                if (!out.isEmpty() && b.error() != null) {
                    deferred = b;
                    return out;
                }
                try {
                    accept(b);
                } catch (io.zkmq.error.CorruptBatchException e) {
                    if (out.isEmpty()) {
                        throw e;
                    }
                    deferred = b;
                    return out;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkmqException("Interrupted while polling queue '" + queue + "'", e);
        }
    }

    /** Makes a blocked {@link #poll} return at once (with what it has collected). Thread-safe. */
    public void wakeUp() {
        wakeUpRequested.set(true);
        fetcher.wakeUp();
    }

    private boolean waitUntil(long deadline) throws InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return true;
        }
        long slice = Math.min(remaining, 50_000_000L);
        if (deferred == null) {
            // Wakes on a connection change or lease event (both call wakeUp) or at the deadline. A batch
            // fetched meanwhile is kept for when emitting resumes: after a lost session the fetcher
            // reads on before the leases are back.
            deferred = fetcher.poll(Duration.ofNanos(slice));
        } else {
            LockSupport.parkNanos(slice);
        }
        return System.nanoTime() >= deadline;
    }

    private void accept(FetchedBatch b) {
        int p = b.partition();
        Position position = positions.get(p);
        if (position == null) {
            fetcher.consumed(b);
            return;
        }
        if (b.error() != null) {
            fetcher.consumed(b);
            if (b.error() instanceof OffsetOutOfRangeException && options.outOfRange() == ConsumerOptions.OutOfRange.RESET_TO_EARLIEST) {
                Position earliest = resolve(p, StartPosition.earliest());
                LOG.warn("Queue '{}' partition {}: {}; continuing from {}", queue, p, b.error().getMessage(), earliest);
                startFetching(p, earliest);
                return;
            }
            if (b.error() instanceof OffsetOutOfRangeException) {
                // Raised on every poll until the caller seeks: the position stays where it was.
                fetcher.assign(p, position);
                throw new OffsetOutOfRangeException("Position " + position + " of queue '" + queue + "' partition " + p
                        + " is no longer readable: " + b.error().getMessage(), b.error());
            }
            throw b.error();
        }
        if (b.seq() != position.seq() && leftover.stream().noneMatch(d -> d.partition == p)) {
            throw new IllegalStateException("Fetched batch " + b.seq() + " of queue '" + queue + "' partition " + p
                    + " does not follow position " + position);
        }
        Batch batch;
        List<QueueRecord> records;
        try {
            batch = b.parse();
            records = batch.records(Math.max(b.fromOffset(), position.offset()));
        } catch (io.zkmq.error.CorruptBatchException e) {
            // Re-read from the corrupt batch, so every later poll raises it again instead of moving past it.
            fetcher.assign(p, position);
            throw e;
        }
        fetcher.consumed(b);
        leftover.add(new Drained(p, batch.seq(), batch.nextOffset(), records));
    }

    private void drainLeftover(List<QueueRecord> out) {
        while (!leftover.isEmpty() && out.size() < options.maxPollRecords()) {
            Drained d = leftover.peek();
            if (!positions.containsKey(d.partition)) {
                leftover.poll();
                continue;
            }
            int take = Math.min(d.records.size() - d.index, options.maxPollRecords() - out.size());
            out.addAll(d.records.subList(d.index, d.index + take));
            d.index += take;
            if (d.index == d.records.size()) {
                positions.put(d.partition, new Position(d.seq + 1, d.nextOffset));
                leftover.poll();
            } else {
                positions.put(d.partition, new Position(d.seq, d.records.get(d.index).offset()));
            }
        }
    }

    /**
     * Commits the position of every held partition, fenced by its lease epoch. Throws {@link
     * FencedException} if a partition was taken over (that partition is dropped), or {@link
     * ZooKeeperUnavailableException} for a partition whose lease went with an expired session and
     * is not back yet (commit again once poll returns records again).
     */
    public void commit() {
        requireGroup("commit");
        ZkmqException failure = null;
        for (Map.Entry<Integer, OwnershipToken> e : new ArrayList<>(owned.entrySet())) {
            try {
                commitPartition(e.getKey());
            } catch (FencedException f) {
                LOG.warn("{}", f.getMessage());
                drop(e.getKey());
                failure = failure instanceof FencedException ? failure : f;
            } catch (ZooKeeperUnavailableException u) {
                failure = failure == null ? u : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void commitPartition(int p) {
        Position position = positions.get(p);
        if (position == null || position.equals(committed.get(p))) {
            return;
        }
        String what = "committing " + position + " to queue '" + queue + "' partition " + p + " for group '"
                + options.group().get() + "'";
        Duration bound = client.options().sessionTimeout().plus(client.options().connectionTimeout());
        boolean stored;
        try {
            stored = leases.commit(queue, p, position, -1).get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw ZkErrors.translate(e.getCause(), what);
        } catch (TimeoutException e) {
            throw new ZkmqTimeoutException("Timed out after " + bound.toMillis() + " ms " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkmqException("Interrupted while " + what, e);
        }
        if (!stored) {
            throw new ZooKeeperUnavailableException("Not " + what + ": member '" + options.memberId() + "' lost the"
                    + " partition's lease with its expired ZooKeeper session and is taking it back; commit again once"
                    + " poll returns records");
        }
        committed.put(p, position);
    }

    private void requireGroup(String what) {
        if (coordinator == null) {
            throw new IllegalStateException(what + "() needs a consumer group; this consumer was built without one");
        }
    }

    private void onConfig(Optional<QueueMetadata> meta) {
        queueDeleted = meta.isEmpty();
        if (queueDeleted) {
            // Stop the nodes that would otherwise re-create the deleted queue's znodes.
            member.close();
            if (coordinator != null) {
                coordinator.close();
            }
            fetcher.wakeUp();
        }
    }

    private void onAssignmentChange() {
        reconcileNeeded.set(true);
        fetcher.wakeUp();
    }

    private void onConnectionState(CuratorFramework c, ConnectionState state) {
        connection = state;
        if (state == ConnectionState.RECONNECTED || state == ConnectionState.LOST) {
            reconcileNeeded.set(true);
        }
        fetcher.wakeUp();
    }

    /** Brings held partitions in line with the group's assignment. Runs on the polling thread. */
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
                leases.acquire(queue, p, new PartitionLeaseListener(p));
            }
        }
    }

    /** Runs what the lease thread reported, on the polling thread; a failure is thrown from poll. */
    private void runLeaseEvents() {
        Runnable event;
        while ((event = leaseEvents.poll()) != null) {
            event.run();
        }
    }

    /** Forwards one partition's lease events to the polling thread. */
    private final class PartitionLeaseListener implements LeaseListener {
        private final int p;

        PartitionLeaseListener(int p) {
            this.p = p;
        }

        @Override
        public void acquired(OwnershipToken token, Optional<CommittedPosition> committedPosition) {
            onLeaseEvent(() -> {
                firstAttempt.remove(p);
                if (!wanted.contains(p) || closed.get()) {
                    return; // released meanwhile: the lease thread releases it in order
                }
                owned.put(p, token);
                Position start = committedPosition.isPresent() ? committedPosition.get().position()
                        : resolve(p, options.startWithoutCommit());
                committedPosition.ifPresent(cp -> committed.put(p, cp.position()));
                startFetching(p, start);
                LOG.info("Queue '{}' group '{}': member {} took partition {} at epoch {}, reading from {}", queue,
                        token.group(), options.memberId(), p, token.epoch(), start);
            });
        }

        @Override
        public void failed(ZkmqException error) {
            onLeaseEvent(() -> {
                firstAttempt.remove(p);
                if (wanted.remove(p)) {
                    reconcileNeeded.set(true); // asked for again by the next poll while still assigned
                    throw error;
                }
            });
        }

        @Override
        public void waiting(String holder, long millisSinceLastCall) {
            onLeaseEvent(() -> firstAttempt.remove(p));
        }

        @Override
        public void lost(String q, int partition) {
            onLeaseEvent(() -> {
                if (owned.remove(p) != null) {
                    LOG.warn("Queue '{}' partition {}: ZooKeeper session expired; taking the partition back, to resume"
                            + " at {}", queue, p, positions.get(p));
                }
            });
        }

        @Override
        public void regained(OwnershipToken token) {
            onLeaseEvent(() -> {
                if (wanted.contains(p) && positions.containsKey(p)) {
                    owned.put(p, token);
                    LOG.info("Queue '{}' partition {}: taken back at epoch {}, resuming at {}", queue, p, token.epoch(),
                            positions.get(p));
                }
            });
        }
    }

    private void onLeaseEvent(Runnable event) {
        leaseEvents.add(event);
        fetcher.wakeUp();
    }

    /**
     * Gives a partition back after the assignment moved it away. Nothing is committed here: only
     * the caller knows which returned records it has processed, so the next owner resumes from the
     * last explicit {@link #commit} (at-least-once).
     */
    private void release(int p) {
        wanted.remove(p);
        firstAttempt.remove(p);
        leases.release(queue, p);
        drop(p);
    }

    private void drop(int p) {
        if (deferred != null && deferred.partition() == p) {
            deferred = null;
        }
        if (owned.remove(p) != null && wanted.remove(p)) {
            reconcileNeeded.set(true); // fenced: take it anew if still assigned
        }
        positions.remove(p);
        committed.remove(p);
        fetcher.unassign(p);
        leftover.removeIf(d -> d.partition == p);
    }

    private Position resolve(int p, StartPosition start) {
        try {
            return resolver.resolve(p, start);
        } catch (ZkmqException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(e, "resolving " + start + " in queue '" + queue + "' partition " + p);
        }
    }

    private void startFetching(int p, Position position) {
        positions.put(p, position);
        leftover.removeIf(d -> d.partition == p);
        fetcher.assign(p, position);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Consumer of queue '" + queue + "' is closed");
        }
    }

    /** Releases held partitions (without committing: call {@link #commit} first) and leaves the group. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (leases != null) {
                leases.close(); // releases every lease
            }
            owned.clear();
            if (coordinator != null) {
                coordinator.close();
            }
        } finally {
            member.close();
            watcher.removeListener(configListener);
            curator.getConnectionStateListenable().removeListener(connectionListener);
            fetcher.close();
            client.unregister(this);
        }
    }

    /** Decoded records of one batch, returned across polls when maxPollRecords splits it. */
    private static final class Drained {
        final int partition;
        final long seq;
        final long nextOffset;
        final List<QueueRecord> records;
        int index;

        Drained(int partition, long seq, long nextOffset, List<QueueRecord> records) {
            this.partition = partition;
            this.seq = seq;
            this.nextOffset = nextOffset;
            this.records = records;
        }
    }
}
