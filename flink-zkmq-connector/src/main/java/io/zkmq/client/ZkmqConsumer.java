package io.zkmq.client;

import io.zkmq.coordination.GroupCoordinator;
import io.zkmq.coordination.LeaseService;
import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.coordination.MemberRegistration;
import io.zkmq.coordination.QueueConfigWatcher;
import io.zkmq.coordination.ZkLeaseService;
import io.zkmq.error.FencedException;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.error.ZooKeeperUnavailableException;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.StartingPosition;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Reads one queue. Two modes:
 *
 * <ul>
 *   <li><b>Group</b> ({@link ConsumerOptions.Builder#group}): the consumer registers as a live
 *       member; the group leader spreads partitions over members with a sticky balanced assignment;
 *       before reading a partition the consumer takes its exactly-one-reader lease ({@link
 *       LeaseService}, the same one the Flink source uses); {@link #commit} stores positions fenced
 *       by the lease's epoch, so a consumer that lost a partition cannot commit it.
 *   <li><b>Manual</b> ({@link #assign}): reads given partitions from given positions, no group, no
 *       locks, no commits.
 * </ul>
 *
 * <p>Not thread-safe (like Kafka's consumer): use it from one thread, except {@link #wakeUp}. While
 * the ZooKeeper connection is suspended, poll returns nothing: a partition whose lease may be gone
 * must not be emitted from. If the session expires, the leases are taken back in place (same member
 * id, next epoch) and reading resumes from the consumer's own positions, not from the committed
 * offsets: nothing returned by poll is returned again.
 */
@PublicEvolving
public final class ZkmqConsumer implements AutoCloseable {
    private final ZkmqClient client;
    private final String queue;
    private final ConsumerOptions options;
    private final CuratorFramework curator;
    private final PartitionReads reads;
    private final ManualAssignment manual;
    private final PollLoop loop;

    /** The group's partitions and leases; null for a consumer without a group. */
    private final GroupPartitions group;

    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean queueDeleted;
    private final GroupCoordinator coordinator;
    private final MemberRegistration member;
    private final QueueConfigWatcher watcher;
    private final Consumer<Optional<QueueMetadata>> configListener;
    private final ConnectionStateListener connectionListener = this::onConnectionState;
    private final Consumer<ZkmqException> backgroundErrorListener = e -> wakeUp();
    private volatile ConnectionState connection = ConnectionState.CONNECTED;

    ZkmqConsumer(ZkmqClient client, String queue, ConsumerOptions options) {
        this.client = client;
        this.queue = queue;
        this.options = options;
        this.curator = client.curator();
        this.watcher = client.configWatcher(queue);
        QueueMetadata meta = client.currentConfig(queue);
        Fetcher fetcher =
                new Fetcher(
                        curator, queue, meta.config().segmentBatches(), options.prefetchBatches());
        this.reads =
                new PartitionReads(
                        queue,
                        options,
                        fetcher,
                        new PositionResolver(
                                curator, client.admin(), queue, meta.config().segmentBatches()));
        this.manual = new ManualAssignment(client, queue, reads);
        curator.getConnectionStateListenable().addListener(connectionListener);
        this.member = MemberRegistration.forRole(curator, queue, "consumer", options.memberId());
        member.start();
        if (options.group().isPresent()) {
            String groupName = options.group().get();
            LeaseService leases =
                    new ZkLeaseService(
                            curator,
                            groupName,
                            options.memberId(),
                            options.lockTimeout(),
                            "the consumer's lockTimeout",
                            "zkmq-consumer-leases-" + options.memberId());
            this.coordinator =
                    new GroupCoordinator(
                            curator,
                            queue,
                            groupName,
                            options.memberId(),
                            () -> client.currentConfig(queue).config().partitions(),
                            this::onAssignmentChange);
            OffsetCommitter committer =
                    new OffsetCommitter(
                            client, queue, groupName, options.memberId(), leases, reads);
            this.group =
                    new GroupPartitions(
                            queue, options, coordinator, leases, reads, committer, closed::get);
            this.loop =
                    new PollLoop(
                            queue,
                            options,
                            reads,
                            group::step,
                            () -> connectionSuspended() || group.holdBack(),
                            () -> queueDeleted);
            this.configListener =
                    m -> {
                        onConfig(m);
                        coordinator.onConfig(m);
                    };
            watcher.addListener(configListener);
            try {
                coordinator.start();
            } catch (Exception e) {
                close();
                throw ZkErrors.translate(
                        e, "joining group '" + groupName + "' of queue '" + queue + "'");
            }
        } else {
            this.group = null;
            this.coordinator = null;
            this.loop =
                    new PollLoop(
                            queue,
                            options,
                            reads,
                            () -> {},
                            this::connectionSuspended,
                            () -> queueDeleted);
            this.configListener = m -> onConfig(m);
            watcher.addListener(configListener);
        }
        client.addBackgroundErrorListener(backgroundErrorListener);
        if (options.joinMaintenance()) {
            client.joinMaintenance(
                    queue, new MaintenanceLeader.Settings(client.options().maintenanceInterval()));
        }
    }

    public String queue() {
        return queue;
    }

    public String memberId() {
        return options.memberId();
    }

    /**
     * Manual mode: reads the given partitions from the given positions (replacing earlier ones).
     */
    public void assign(Map<Integer, StartingPosition> starts) {
        requireManual();
        manual.assign(starts);
    }

    /**
     * Moves the read position of a partition this consumer reads (in either mode), e.g. to {@link
     * StartingPosition#earliest()} after an {@link OffsetOutOfRangeException}.
     */
    public void seek(int partition, StartingPosition start) {
        manual.seek(partition, start);
    }

    /** Manual mode: every partition from the same start. */
    public void assignAll(StartingPosition start) {
        requireManual();
        manual.assignAll(start);
    }

    /** Partitions this consumer reads now (held locks in group mode). */
    public Set<Integer> assignment() {
        return Collections.unmodifiableSet(new TreeSet<>(reads.positions().keySet()));
    }

    /** Next position per partition: everything before it was returned by poll. */
    public Map<Integer, Position> positions() {
        return reads.positions();
    }

    /**
     * Returns the next records, waiting up to {@code timeout} for at least one. In group mode it
     * also takes and releases partitions as the group's assignment changes.
     */
    public List<QueueRecord> poll(Duration timeout) {
        checkOpen();
        client.checkBackgroundErrors();
        List<QueueRecord> records = loop.poll(timeout);
        if (records.isEmpty()) {
            client.checkBackgroundErrors(); // woken by a background failure
        }
        return records;
    }

    /** Makes a blocked {@link #poll} return at once (with what it has collected). Thread-safe. */
    public void wakeUp() {
        loop.wakeUp();
    }

    /**
     * Commits the position of every held partition, fenced by its lease epoch. Throws {@link
     * FencedException} if a partition was taken over (that partition is dropped), or {@link
     * ZooKeeperUnavailableException} for a partition whose lease went with an expired session and
     * is not back yet (commit again once poll returns records again).
     */
    public void commit() {
        requireGroup("commit");
        group.commit();
    }

    private void requireGroup(String what) {
        if (group == null) {
            throw new IllegalStateException(
                    what + "() needs a consumer group; this consumer was built without one");
        }
    }

    private void requireManual() {
        if (group != null) {
            throw new IllegalStateException(
                    "Consumer of group '"
                            + options.group().get()
                            + "' gets its partitions from the group; manual assign() is for consumers without a group");
        }
    }

    private boolean connectionSuspended() {
        return connection == ConnectionState.SUSPENDED || connection == ConnectionState.LOST;
    }

    private void onConfig(Optional<QueueMetadata> meta) {
        queueDeleted = meta.isEmpty();
        if (queueDeleted) {
            // Stop the nodes that would otherwise re-create the deleted queue's znodes.
            member.close();
            if (coordinator != null) {
                coordinator.close();
            }
            reads.fetcher().wakeUp();
        }
    }

    private void onAssignmentChange() {
        group.reconcileLater();
        reads.fetcher().wakeUp();
    }

    private void onConnectionState(CuratorFramework c, ConnectionState state) {
        connection = state;
        if (group != null
                && (state == ConnectionState.RECONNECTED || state == ConnectionState.LOST)) {
            group.reconcileLater();
        }
        reads.fetcher().wakeUp();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Consumer of queue '" + queue + "' is closed");
        }
    }

    /**
     * Releases held partitions (without committing: call {@link #commit} first) and leaves the
     * group.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (group != null) {
                group.close(); // releases every lease
            }
            if (coordinator != null) {
                coordinator.close();
            }
        } finally {
            member.close();
            watcher.removeListener(configListener);
            client.removeBackgroundErrorListener(backgroundErrorListener);
            curator.getConnectionStateListenable().removeListener(connectionListener);
            reads.fetcher().close();
            client.unregister(this);
        }
    }
}
