package io.zkmq.client;

import io.zkmq.coordination.OwnershipToken;
import io.zkmq.coordination.PartitionOwnership;
import io.zkmq.error.GroupActiveException;
import io.zkmq.error.GroupNotFoundException;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.GroupAssignment;
import io.zkmq.queue.Names;
import io.zkmq.queue.OwnerInfo;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueueMetadata;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.zookeeper.KeeperException;

/**
 * Moves and deletes a consumer group's committed offsets, like Kafka's {@code
 * kafka-consumer-groups.sh --reset-offsets} and {@code --delete}. Both refuse while the group has
 * live members or partition owners. A reset writes through the same fenced protocol as a consumer's
 * commit: it takes each partition's reader lock ({@link PartitionOwnership}, bumping the epoch),
 * commits under that epoch and releases the lock, so a member that joins meanwhile either makes the
 * reset fail (it took the lock first) or waits for the lock and then reads the new offset; it is
 * never overwritten silently.
 */
@PublicEvolving
public final class GroupAdmin {
    private final CuratorFramework curator;
    private final QueueAdmin admin;

    GroupAdmin(CuratorFramework curator, QueueAdmin admin) {
        this.curator = curator;
        this.admin = admin;
    }

    /**
     * What {@link #resetOffsets} would do, changing nothing: per partition (all if {@code
     * partitions} is empty) the committed offset and the offset {@code target} resolves to.
     */
    public List<OffsetReset> planReset(
            String queue, String group, Collection<Integer> partitions, ResetTarget target) {
        QueueMetadata meta = requireGroup(queue, group);
        List<OffsetReset> plan = new ArrayList<>();
        for (int p : select(meta, partitions)) {
            plan.add(plan(queue, group, p, target).reset);
        }
        return plan;
    }

    /**
     * Moves the group's committed offsets to {@code target} and returns what changed. Throws {@link
     * GroupActiveException} naming the live members and owners if the group is in use.
     */
    public List<OffsetReset> resetOffsets(
            String queue, String group, Collection<Integer> partitions, ResetTarget target) {
        QueueMetadata meta = requireGroup(queue, group);
        List<Integer> selected = select(meta, partitions);
        refuseIfActive(meta, group, "reset the offsets of");
        String adminId = "zkmq-admin-" + UUID.randomUUID();
        List<PartitionOwnership> locks = new ArrayList<>();
        List<OwnershipToken> tokens = new ArrayList<>();
        try {
            for (int p : selected) {
                PartitionOwnership lock =
                        new PartitionOwnership(curator, new QueuePartition(queue, p), group);
                PartitionOwnership.Attempt attempt = lock.tryTake(adminId);
                if (!attempt.taken()) {
                    throw new GroupActiveException(
                            "Not resetting the offsets of group '"
                                    + group
                                    + "' of queue '"
                                    + queue
                                    + "': partition "
                                    + p
                                    + " was taken by "
                                    + attempt.holder().map(GroupAdmin::describe).orElse("a member")
                                    + " meanwhile; nothing was changed; stop the group's consumers"
                                    + " first");
                }
                locks.add(lock);
                tokens.add(attempt.token().get());
            }
            // With every lock held no member can commit. Resolve every partition first, so an
            // offset out of range fails the reset before anything is written.
            List<Planned> plans = new ArrayList<>();
            for (int p : selected) {
                plans.add(plan(queue, group, p, target));
            }
            List<OffsetReset> done = new ArrayList<>();
            for (int i = 0; i < locks.size(); i++) {
                OwnershipToken token = tokens.get(i);
                locks.get(i)
                        .commit(
                                token,
                                new CommittedPosition(plans.get(i).position, token.epoch(), -1));
                done.add(plans.get(i).reset);
            }
            return done;
        } catch (ZkmqException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e, "resetting the offsets of group '" + group + "' of queue '" + queue + "'");
        } finally {
            for (int i = 0; i < tokens.size(); i++) {
                try {
                    locks.get(i).release(tokens.get(i));
                } catch (Exception e) {
                    // The lock is ephemeral: it goes with this client's session at the latest.
                }
            }
        }
    }

    /**
     * Deletes the group's state in the queue (members, assignment, epochs, committed offsets).
     * Throws {@link GroupActiveException} naming the live members and owners if the group is in
     * use.
     */
    public void deleteGroup(String queue, String group) {
        QueueMetadata meta = requireGroup(queue, group);
        refuseIfActive(meta, group, "delete");
        try {
            curator.delete()
                    .guaranteed()
                    .deletingChildrenIfNeeded()
                    .forPath(ZkmqPaths.group(queue, group));
        } catch (KeeperException.NoNodeException e) {
            // Deleted concurrently: the outcome asked for.
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e,
                    "deleting group '"
                            + group
                            + "' of queue '"
                            + queue
                            + "' (znode "
                            + full(ZkmqPaths.group(queue, group))
                            + ")");
        }
    }

    /**
     * Per partition, the member the group's assignment names and the current lock owner; for
     * telling why a consumer waits. A group without state has no holders.
     */
    public List<PartitionHolder> holders(String queue, String group) {
        Names.group(group);
        QueueMetadata meta = admin.readConfig(queue);
        String path = ZkmqPaths.groupAssignment(queue, group);
        GroupAssignment assignment;
        try {
            assignment = GroupAssignment.fromJson(curator.getData().forPath(path), path);
        } catch (KeeperException.NoNodeException e) {
            assignment = GroupAssignment.EMPTY;
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e, "reading the assignment of group '" + group + "' of queue '" + queue + "'");
        }
        List<PartitionHolder> holders = new ArrayList<>();
        for (int p = 0; p < meta.config().partitions(); p++) {
            holders.add(
                    new PartitionHolder(
                            p,
                            Optional.ofNullable(assignment.ownerByPartition().get(p)),
                            admin.readOwner(queue, group, p)));
        }
        return holders;
    }

    private QueueMetadata requireGroup(String queue, String group) {
        Names.group(group);
        QueueMetadata meta = admin.readConfig(queue);
        String path = ZkmqPaths.group(queue, group);
        try {
            if (curator.checkExists().forPath(path) == null) {
                List<String> groups = admin.listGroups(queue);
                throw new GroupNotFoundException(
                        "Group '"
                                + group
                                + "' has no state in queue '"
                                + queue
                                + "' (no znode "
                                + full(path)
                                + "; groups: "
                                + (groups.isEmpty() ? "none" : String.join(", ", groups))
                                + ")");
            }
        } catch (ZkmqException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading group '" + group + "' of queue '" + queue + "'");
        }
        return meta;
    }

    private static List<Integer> select(QueueMetadata meta, Collection<Integer> partitions) {
        int count = meta.config().partitions();
        if (partitions.isEmpty()) {
            List<Integer> all = new ArrayList<>();
            for (int p = 0; p < count; p++) {
                all.add(p);
            }
            return all;
        }
        for (int p : partitions) {
            if (p < 0 || p >= count) {
                throw new InvalidConfigException(
                        "Partition "
                                + p
                                + " is out of range: queue '"
                                + meta.name()
                                + "' has partitions 0.."
                                + (count - 1));
            }
        }
        return new ArrayList<>(new TreeSet<>(partitions));
    }

    /** Refuses with the names of the group's live members and partition owners, if any. */
    private void refuseIfActive(QueueMetadata meta, String group, String action) {
        String queue = meta.name();
        List<String> members;
        try {
            members =
                    new ArrayList<>(
                            curator.getChildren().forPath(ZkmqPaths.groupMembers(queue, group)));
        } catch (KeeperException.NoNodeException e) {
            members = List.of();
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e, "listing the members of group '" + group + "' of queue '" + queue + "'");
        }
        List<String> owners = new ArrayList<>();
        for (int p = 0; p < meta.config().partitions(); p++) {
            Optional<OwnerInfo> owner = admin.readOwner(queue, group, p);
            if (owner.isPresent()) {
                owners.add("partition " + p + " by " + describe(owner.get()));
            }
        }
        if (members.isEmpty() && owners.isEmpty()) {
            return;
        }
        members.sort(null);
        throw new GroupActiveException(
                "Cannot "
                        + action
                        + " group '"
                        + group
                        + "' of queue '"
                        + queue
                        + "' while it is in use: live members: "
                        + (members.isEmpty() ? "none" : String.join(", ", members))
                        + "; held partitions: "
                        + (owners.isEmpty() ? "none" : String.join(", ", owners))
                        + ". Stop its consumers first (a killed consumer counts until its ZooKeeper"
                        + " session expires)");
    }

    private Planned plan(String queue, String group, int p, ResetTarget target) {
        OptionalLong old =
                admin.readCommitted(queue, group, p)
                        .map(c -> OptionalLong.of(c.position().offset()))
                        .orElse(OptionalLong.empty());
        StartingPosition start = target.position();
        if (start == null) {
            long low = admin.readLow(queue, p).lowOffset();
            long head = admin.readHead(queue, p).nextOffset();
            long base = old.orElse(low);
            long shifted = clamp(base, target.shift(), low, head);
            start = StartingPosition.offset(shifted);
        }
        Position position = admin.resolvePosition(queue, p, start);
        return new Planned(new OffsetReset(p, old, position.offset()), position);
    }

    /** {@code base + shift} within {@code [low, head]}, without overflow. */
    private static long clamp(long base, long shift, long low, long head) {
        long sum;
        try {
            sum = Math.addExact(base, shift);
        } catch (ArithmeticException e) {
            sum = shift > 0 ? head : low;
        }
        return Math.max(low, Math.min(head, sum));
    }

    private static String describe(OwnerInfo o) {
        return "owner '" + o.ownerId() + "' (session 0x" + Long.toHexString(o.sessionId()) + ")";
    }

    /** The path as ZooKeeper knows it, with the client's namespace. */
    private String full(String path) {
        return ZKPaths.makePath(curator.getNamespace(), path);
    }

    private record Planned(OffsetReset reset, Position position) {}
}
