package io.zkmq.source.enumerator;

import io.zkmq.hashing.Assignment;
import io.zkmq.hashing.StickyBalancedAssigner;
import io.zkmq.queue.QueuePartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The target reader of every live split, from one run of the sticky balanced assignment, with the
 * splits still waiting for a reader indexed by their target.
 *
 * <p>The targets stay valid until the assignment's inputs change (the set of live splits, a split's
 * previous owner set to other than its target, or the parallelism); {@link SplitTracker} calls
 * {@link #invalidate()} then. Handing a split to its target does not change them, so readers
 * registering one by one take their share from the index instead of re-running the assignment for
 * each (that made start-up cost R full assignments). The result is exactly one assignment's, with
 * its balance and minimal-move guarantees.
 */
final class SplitTargets {
    private final StickyBalancedAssigner assigner;
    private Map<QueuePartition, Integer> targetBySplit; // null: not computed for the current inputs
    private int parallelism;
    private final SortedMap<Integer, SortedSet<QueuePartition>> waitingByTarget = new TreeMap<>();
    private long scoreEvaluations;

    SplitTargets(StickyBalancedAssigner assigner) {
        this.assigner = assigner;
    }

    boolean isValidFor(int parallelism) {
        return targetBySplit != null && this.parallelism == parallelism;
    }

    /** The inputs changed: the next assignment is computed afresh. */
    void invalidate() {
        targetBySplit = null;
        waitingByTarget.clear();
    }

    /**
     * Runs the sticky balanced assignment of {@code live} over readers {@code 0..parallelism-1} and
     * indexes the {@code waiting} splits by target.
     */
    void compute(
            Collection<QueuePartition> live,
            Map<QueuePartition, Integer> previousOwner,
            Collection<QueuePartition> waiting,
            int parallelism) {
        List<String> splitIds = new ArrayList<>(live.size());
        Map<String, QueuePartition> byId = new HashMap<>(); // lookups only
        Map<String, String> previous = new HashMap<>();
        for (QueuePartition p : live) {
            String id = p.splitId();
            splitIds.add(id);
            byId.put(id, p);
            Integer owner = previousOwner.get(p);
            if (owner != null) {
                previous.put(id, Integer.toString(owner));
            }
        }
        List<String> readers = new ArrayList<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            readers.add(Integer.toString(i));
        }
        Assignment assignment = assigner.assign(splitIds, readers, previous);
        scoreEvaluations += assignment.scoreEvaluations();
        Map<QueuePartition, Integer> targets = new HashMap<>(); // lookups only
        assignment
                .ownerBySplit()
                .forEach((id, reader) -> targets.put(byId.get(id), Integer.parseInt(reader)));
        this.targetBySplit = targets;
        this.parallelism = parallelism;
        waitingByTarget.clear();
        waiting.forEach(this::waiting);
    }

    /** The target of a live split, or null when the targets are not computed. */
    Integer targetOf(QueuePartition p) {
        return targetBySplit == null ? null : targetBySplit.get(p);
    }

    /** A live split waits for its (unchanged) target again. Only while the targets are valid. */
    void waiting(QueuePartition p) {
        Integer target = targetBySplit.get(p);
        if (target == null) {
            throw new IllegalStateException(
                    "Split "
                            + p
                            + " has no target reader: the targets were not"
                            + " computed for it, so they must have been invalidated");
        }
        waitingByTarget.computeIfAbsent(target, r -> new TreeSet<>()).add(p);
    }

    /** Removes and returns the waiting splits whose target is registered, by reader. */
    SortedMap<Integer, SortedSet<QueuePartition>> takeWaitingFor(Set<Integer> registered) {
        SortedMap<Integer, SortedSet<QueuePartition>> taken = new TreeMap<>();
        Iterator<Map.Entry<Integer, SortedSet<QueuePartition>>> it =
                waitingByTarget.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Integer, SortedSet<QueuePartition>> e = it.next();
            if (registered.contains(e.getKey())) {
                taken.put(e.getKey(), e.getValue());
                it.remove();
            }
        }
        return taken;
    }

    /** The score evaluations of every assignment computed so far: the work bound tests check. */
    long scoreEvaluations() {
        return scoreEvaluations;
    }
}
