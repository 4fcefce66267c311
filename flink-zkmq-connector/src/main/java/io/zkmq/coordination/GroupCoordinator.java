package io.zkmq.coordination;

import io.zkmq.hashing.Assignment;
import io.zkmq.hashing.StickyBalancedAssigner;
import io.zkmq.queue.GroupAssignment;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.queue.ZkmqPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.flink.annotation.Internal;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer's membership in a group: registers the member (ephemeral), takes part in the election
 * of the group leader, and follows the assignment znode. The leader recomputes the assignment with
 * the {@link StickyBalancedAssigner} (balanced within one partition, minimal moves) whenever
 * members come or go or partitions are added, and writes it with a compare-and-set. Members learn
 * their partitions from the assignment's data watch; taking and releasing the partition locks is
 * the consumer's job ({@link LeaseService}).
 */
@Internal
public final class GroupCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    private final CuratorFramework curator;
    private final String queue;
    private final String group;
    private final String memberId;
    private final IntSupplier partitionCount;
    private final MemberRegistration member;
    private final LeaderLatch latch;
    private final ExecutorService leaderWork;
    private final AtomicReference<Set<Integer>> assigned = new AtomicReference<>(Set.of());
    private final Runnable onAssignmentChange;
    private final Watcher membersWatcher = e -> scheduleRebalance();
    private final Watcher assignmentWatcher = e -> readAssignmentQuietly();
    private final ConnectionStateListener reconnect =
            (c, s) -> {
                if (s == ConnectionState.RECONNECTED) {
                    readAssignmentQuietly();
                    scheduleRebalance();
                }
            };
    private volatile boolean closed;

    public GroupCoordinator(
            CuratorFramework curator,
            String queue,
            String group,
            String memberId,
            IntSupplier partitionCount,
            Runnable onAssignmentChange) {
        this.curator = curator;
        this.queue = queue;
        this.group = group;
        this.memberId = memberId;
        this.partitionCount = partitionCount;
        this.onAssignmentChange = onAssignmentChange;
        this.member =
                new MemberRegistration(
                        curator, queue, ZkmqPaths.groupMember(queue, group, memberId), memberId);
        this.latch = new LeaderLatch(curator, ZkmqPaths.groupLeader(queue, group), memberId);
        this.leaderWork =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, "zkmq-group-" + group + "-" + memberId);
                            t.setDaemon(true);
                            return t;
                        });
    }

    public void start() throws Exception {
        curator.getConnectionStateListenable().addListener(reconnect);
        member.start();
        latch.addListener(
                new LeaderLatchListener() {
                    @Override
                    public void isLeader() {
                        scheduleRebalance();
                    }

                    @Override
                    public void notLeader() {}
                });
        latch.start();
        readAssignment();
    }

    /** Partitions the current assignment gives this member. */
    public Set<Integer> assignedPartitions() {
        return assigned.get();
    }

    public boolean isLeader() {
        return latch.hasLeadership();
    }

    public String memberId() {
        return memberId;
    }

    /** Asks the leader (if this member is it) to recompute, e.g. after partitions were added. */
    public void scheduleRebalance() {
        if (!closed && latch.hasLeadership()) {
            leaderWork.execute(this::rebalanceQuietly);
        }
    }

    private void rebalanceQuietly() {
        try {
            rebalance();
        } catch (Exception e) {
            LOG.warn(
                    "Group '{}' of queue '{}': rebalance failed, retried on the next change: {}",
                    group,
                    queue,
                    e.toString());
        }
    }

    private void rebalance() throws Exception {
        if (closed || !latch.hasLeadership()) {
            return;
        }
        List<String> members =
                curator.getChildren()
                        .usingWatcher(membersWatcher)
                        .forPath(ZkmqPaths.groupMembers(queue, group));
        String assignmentPath = ZkmqPaths.groupAssignment(queue, group);
        Stat stat = new Stat();
        GroupAssignment previous;
        boolean exists = true;
        try {
            previous =
                    GroupAssignment.fromJson(
                            curator.getData().storingStatIn(stat).forPath(assignmentPath),
                            assignmentPath);
        } catch (KeeperException.NoNodeException e) {
            previous = GroupAssignment.EMPTY;
            exists = false;
        }
        int partitions = partitionCount.getAsInt();
        List<String> splits = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            splits.add(Integer.toString(p));
        }
        Map<String, String> previousOwners = new HashMap<>();
        previous.ownerByPartition().forEach((p, m) -> previousOwners.put(Integer.toString(p), m));
        Assignment next =
                StickyBalancedAssigner.naturalOrder().assign(splits, members, previousOwners);
        Map<Integer, String> owners = new java.util.TreeMap<>();
        next.ownerBySplit().forEach((s, m) -> owners.put(Integer.parseInt(s), m));
        if (owners.equals(previous.ownerByPartition())) {
            return;
        }
        GroupAssignment written = new GroupAssignment(previous.generation() + 1, owners);
        try {
            if (exists) {
                curator.setData()
                        .withVersion(stat.getVersion())
                        .forPath(assignmentPath, written.toJson());
            } else {
                curator.create()
                        .creatingParentsIfNeeded()
                        .forPath(assignmentPath, written.toJson());
            }
            LOG.info(
                    "Group '{}' of queue '{}': generation {} assigns {} partitions to {} members (moved {})",
                    group,
                    queue,
                    written.generation(),
                    owners.size(),
                    members.size(),
                    next.moves(previousOwners));
        } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException e) {
            scheduleRebalance(); // a former leader wrote in between: recompute on its result
        }
    }

    private void readAssignmentQuietly() {
        if (closed) {
            return;
        }
        try {
            readAssignment();
        } catch (Exception e) {
            LOG.warn(
                    "Group '{}' of queue '{}': cannot read the assignment: {}",
                    group,
                    queue,
                    e.toString());
        }
    }

    private void readAssignment() throws Exception {
        String path = ZkmqPaths.groupAssignment(queue, group);
        GroupAssignment a;
        try {
            a =
                    GroupAssignment.fromJson(
                            curator.getData().usingWatcher(assignmentWatcher).forPath(path), path);
        } catch (KeeperException.NoNodeException e) {
            curator.checkExists().usingWatcher(assignmentWatcher).forPath(path);
            a = GroupAssignment.EMPTY;
        }
        Set<Integer> mine = new TreeSet<>();
        a.ownerByPartition()
                .forEach(
                        (p, m) -> {
                            if (m.equals(memberId)) {
                                mine.add(p);
                            }
                        });
        Set<Integer> old = assigned.getAndSet(Set.copyOf(mine));
        if (!old.equals(mine)) {
            onAssignmentChange.run();
        }
    }

    /** Forces a recompute when the queue's partition count changed. */
    public void onConfig(Optional<QueueMetadata> meta) {
        scheduleRebalance();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        curator.getConnectionStateListenable().removeListener(reconnect);
        leaderWork.shutdownNow();
        try {
            latch.close();
        } catch (IOException | IllegalStateException e) {
            LOG.debug("Closing leader latch", e);
        }
        member.close();
    }
}
