/**
 * Coordination through ZooKeeper: partition locks with fencing ({@link
 * io.zkmq.coordination.PartitionOwnership}), group membership and assignment, config and queue-list
 * watches, member registrations, the maintenance leader (which runs the tasks it is handed) and
 * retention.
 *
 * <p>May import {@code queue}, {@code hashing} and {@code error}; Curator and ZooKeeper. Never
 * {@code client}: the client builds on coordination and hands it what it needs.
 */
package io.zkmq.coordination;
