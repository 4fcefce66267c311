package io.zkmq.queue;

import org.apache.flink.annotation.Internal;

/**
 * Every znode path of the storage layout, relative to the client's namespace root (Curator's
 * namespace supplies the leading {@code /<namespace>}). Readers compute every data path from a
 * batch number; nothing on the data path lists children.
 *
 * <pre>
 * /queues/&lt;q&gt;                                       queue config (JSON, versioned by the znode version)
 *   partitions/&lt;p&gt;/head                            {nextSeq, nextOffset, nextBytes}: changes only with an append
 *   partitions/&lt;p&gt;/low                             {lowSeq, lowOffset, lowBytes}: first readable batch
 *   partitions/&lt;p&gt;/seg/&lt;segId %019d&gt;               segment info {firstSeq, baseOffset, startBytes}; its ctime dates the segment
 *   partitions/&lt;p&gt;/seg/&lt;segId %019d&gt;/&lt;seq %019d&gt;   one record batch (binary, see docs/format.md), or a reference batch
 *   partitions/&lt;p&gt;/txn/&lt;prefix-subtask-checkpoint&gt;  exactly-once transaction marker (JSON: attempt, state, staged batches)
 *   partitions/&lt;p&gt;/staged/&lt;txn.attempt.i&gt;       staged batch (binary, base offset 0), visible once referenced
 *   partitions/&lt;p&gt;/refs/&lt;seq %019d&gt;              path of the staged batch that reference batch seq stands for
 *   partitions/&lt;p&gt;/tier/&lt;bucket %019d&gt;/&lt;firstSeq %019d&gt;  index entry of a tier object
 *   partitions/&lt;p&gt;/tierHigh                        {nextSeq, nextOffset, objects, bytes}: first batch not yet in the tier
 *   groups/&lt;g&gt;/members/&lt;id&gt;                     EPHEMERAL live consumer of the group
 *   groups/&lt;g&gt;/leader                            leader latch of the group (computes the assignment)
 *   groups/&lt;g&gt;/assignment                        partition to member map written by the group leader
 *   groups/&lt;g&gt;/partitions/&lt;p&gt;/epoch               fencing token = this znode's version
 *   groups/&lt;g&gt;/partitions/&lt;p&gt;/owner               EPHEMERAL exactly-one-reader lock
 *   groups/&lt;g&gt;/partitions/&lt;p&gt;/offset              committed position
 *   members/&lt;role&gt;/&lt;id&gt;                          EPHEMERAL live producers and consumers
 *   maintenance                                   leader latch of the maintenance leader (retention, transaction clean-up)
 *   maintenanceEpoch                              fencing token of the maintenance leader = this znode's version
 * /sinks/&lt;prefix&gt;                                   {abandonedTimeoutMs} of the exactly-once sinks with this prefix
 * /sinks/&lt;prefix&gt;/queues/&lt;q&gt;                         queues an exactly-once sink with this prefix has staged in
 * </pre>
 */
@Internal
public final class ZkmqPaths {
    public static final String QUEUES = "/queues";
    public static final String SINKS = "/sinks";

    private ZkmqPaths() {}

    public static String queue(String queue) {
        return QUEUES + "/" + queue;
    }

    public static String partitions(String queue) {
        return queue(queue) + "/partitions";
    }

    public static String partition(String queue, int partition) {
        return partitions(queue) + "/" + partition;
    }

    public static String head(String queue, int partition) {
        return partition(queue, partition) + "/head";
    }

    public static String low(String queue, int partition) {
        return partition(queue, partition) + "/low";
    }

    public static String segments(String queue, int partition) {
        return partition(queue, partition) + "/seg";
    }

    public static String segment(String queue, int partition, long segmentId) {
        return segments(queue, partition) + "/" + pad(segmentId);
    }

    public static String batch(String queue, int partition, long seq, int segmentBatches) {
        return segment(queue, partition, seq / segmentBatches) + "/" + pad(seq);
    }

    /** Transaction markers of a partition (exactly-once sink). */
    public static String transactions(String queue, int partition) {
        return partition(queue, partition) + "/txn";
    }

    public static String transaction(String queue, int partition, String txn) {
        return transactions(queue, partition) + "/" + txn;
    }

    /** Staged batches of a partition's transactions, referenced by committed reference batches. */
    public static String stagedBatches(String queue, int partition) {
        return partition(queue, partition) + "/staged";
    }

    /**
     * True for the path of a staged batch of this partition (a child of {@link #stagedBatches}):
     * what a reference batch or a refs entry may point to.
     */
    public static boolean isStagedBatch(String queue, int partition, String path) {
        String dir = stagedBatches(queue, partition) + "/";
        return path.startsWith(dir)
                && path.length() > dir.length()
                && path.indexOf('/', dir.length()) < 0;
    }

    /**
     * {@code attempt} is random per staging, so a reused transaction id never collides with an
     * earlier run's.
     */
    public static String stagedBatch(
            String queue, int partition, String txn, String attempt, int index) {
        return stagedBatches(queue, partition) + "/" + txn + "." + attempt + "." + index;
    }

    /** Everything known about the exactly-once sinks using a transactional id prefix. */
    public static String sink(String prefix) {
        return SINKS + "/" + prefix;
    }

    /** The queues a sink prefix has staged in. */
    public static String sinkQueues(String prefix) {
        return sink(prefix) + "/queues";
    }

    /**
     * Registered before a sink's first staging in a queue, so its lingering transactions are always
     * found.
     */
    public static String sinkQueue(String prefix, String queue) {
        return sinkQueues(prefix) + "/" + queue;
    }

    /**
     * Index of committed reference batches by batch number, so retention finds the staged bytes to
     * delete.
     */
    public static String references(String queue, int partition) {
        return partition(queue, partition) + "/refs";
    }

    public static String reference(String queue, int partition, long seq) {
        return references(queue, partition) + "/" + pad(seq);
    }

    /**
     * Segments per tier bucket. A tier object covers whole segments, so a bucket directory holds at
     * most this many index entries, and a partition needs one bucket per this many segments.
     */
    public static final long TIER_BUCKET_SEGMENTS = 1000;

    /** Index entries of a partition's objects in the tier file system (tiered storage). */
    public static String tier(String queue, int partition) {
        return partition(queue, partition) + "/tier";
    }

    /**
     * The bucket of an object starting at {@code firstSeq}: its segment id divided by {@link
     * #TIER_BUCKET_SEGMENTS}.
     */
    public static long tierBucket(long firstSeq, int segmentBatches) {
        return firstSeq / segmentBatches / TIER_BUCKET_SEGMENTS;
    }

    public static String tierBucketPath(String queue, int partition, long bucket) {
        return tier(queue, partition) + "/" + pad(bucket);
    }

    /**
     * The index entry ({@link TierObjectEntry}) of the tier object whose first batch is {@code
     * firstSeq}.
     */
    public static String tierEntry(String queue, int partition, long firstSeq, int segmentBatches) {
        return tierBucketPath(queue, partition, tierBucket(firstSeq, segmentBatches))
                + "/"
                + pad(firstSeq);
    }

    /**
     * {@link TierHigh} of a partition: where the tier ends; absent until the first object is
     * registered.
     */
    public static String tierHigh(String queue, int partition) {
        return partition(queue, partition) + "/tierHigh";
    }

    public static String groups(String queue) {
        return queue(queue) + "/groups";
    }

    public static String group(String queue, String group) {
        return groups(queue) + "/" + group;
    }

    public static String groupMembers(String queue, String group) {
        return group(queue, group) + "/members";
    }

    public static String groupMember(String queue, String group, String memberId) {
        return groupMembers(queue, group) + "/" + memberId;
    }

    public static String groupLeader(String queue, String group) {
        return group(queue, group) + "/leader";
    }

    public static String groupAssignment(String queue, String group) {
        return group(queue, group) + "/assignment";
    }

    public static String groupPartition(String queue, String group, int partition) {
        return group(queue, group) + "/partitions/" + partition;
    }

    public static String epoch(String queue, String group, int partition) {
        return groupPartition(queue, group, partition) + "/epoch";
    }

    public static String owner(String queue, String group, int partition) {
        return groupPartition(queue, group, partition) + "/owner";
    }

    public static String offset(String queue, String group, int partition) {
        return groupPartition(queue, group, partition) + "/offset";
    }

    /** Parent of the live members of every role. */
    public static String allMembers(String queue) {
        return queue(queue) + "/members";
    }

    public static String members(String queue, String role) {
        return allMembers(queue) + "/" + role;
    }

    public static String member(String queue, String role, String id) {
        return members(queue, role) + "/" + id;
    }

    public static String maintenance(String queue) {
        return queue(queue) + "/maintenance";
    }

    /**
     * Bumped by each new maintenance leader; its version fences tier registrations of a deposed
     * one. A sibling of the latch, not a child: the latch's children are its candidates.
     */
    public static String maintenanceEpoch(String queue) {
        return queue(queue) + "/maintenanceEpoch";
    }

    /** A child of a znode listed with getChildren (e.g. a segment of {@link #segments}). */
    public static String child(String parent, String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException(
                    "Not a znode name: '" + name + "' (child of " + parent + ")");
        }
        return parent + "/" + name;
    }

    /** Zero-padded to 19 digits so that text order is numeric order for every non-negative long. */
    public static String pad(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("Negative sequence number " + value);
        }
        String digits = Long.toString(value);
        return "0".repeat(19 - digits.length()) + digits;
    }
}
