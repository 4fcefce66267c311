package io.zkmq.source.enumerator;

import io.zkmq.hashing.StickyBalancedAssigner;
import io.zkmq.queue.QueuePartition;
import io.zkmq.source.split.ZkmqSplit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which reader holds which split, and which splits wait for a reader. Pure bookkeeping, no Flink or
 * ZooKeeper calls, so every transition is unit-tested.
 *
 * <p>A split is in exactly one of: <b>held</b> by a reader; <b>unassigned</b> (its full split, with
 * position, is here); <b>awaiting</b> a report (after a restore its position lives in some reader's
 * restored state, which comes back when that reader registers, because the source implements {@code
 * SupportsSplitReassignmentOnRecovery}); or <b>finished</b>. Once every reader of the current
 * parallelism has registered, an awaiting split no reader reported was finished before the
 * checkpoint (bounded mode) and is recorded as finished, never read twice.
 *
 * <p>Targets come from the sticky balanced assignment over all known splits and all readers of the
 * current parallelism, with each split's last owner as memory: every reader gets floor or ceil of
 * splits/readers, and a change moves the fewest splits possible. The targets are computed once per
 * change of those inputs ({@link SplitTargets}), not once per registering reader.
 */
final class SplitTracker {
    private final SplitTargets targets = new SplitTargets(StickyBalancedAssigner.numericOrder());
    private final SortedMap<QueuePartition, Integer> lastOwner = new TreeMap<>();
    private final SortedMap<QueuePartition, Integer> held = new TreeMap<>();
    private final SortedMap<QueuePartition, ZkmqSplit> unassigned = new TreeMap<>();
    private final SortedSet<QueuePartition> awaiting = new TreeSet<>();
    private final SortedSet<QueuePartition> finished = new TreeSet<>();

    SplitTracker() {}

    /** Restores from a checkpoint: every split readers held is awaiting their report now. */
    static SplitTracker restore(ZkmqEnumState state) {
        SplitTracker t = new SplitTracker();
        t.lastOwner.putAll(state.lastOwner());
        t.awaiting.addAll(state.held());
        state.unassigned().forEach(s -> t.unassigned.put(s.queuePartition(), s));
        t.finished.addAll(state.finished());
        return t;
    }

    ZkmqEnumState snapshot(boolean initialDiscoveryDone) {
        SortedSet<QueuePartition> heldOrAwaiting = new TreeSet<>(held.keySet());
        heldOrAwaiting.addAll(awaiting);
        return new ZkmqEnumState(
                lastOwner,
                heldOrAwaiting,
                new ArrayList<>(unassigned.values()),
                finished,
                initialDiscoveryDone);
    }

    boolean isKnown(QueuePartition p) {
        return held.containsKey(p)
                || unassigned.containsKey(p)
                || awaiting.contains(p)
                || finished.contains(p);
    }

    /** Every partition the tracker knows in any state (a copy). */
    Set<QueuePartition> known() {
        SortedSet<QueuePartition> all = allLive();
        all.addAll(finished);
        return all;
    }

    private boolean isLive(QueuePartition p) {
        return held.containsKey(p) || unassigned.containsKey(p) || awaiting.contains(p);
    }

    /** A newly discovered split; ignored if the partition is already known. */
    void addNew(ZkmqSplit split) {
        if (!isKnown(split.queuePartition())) {
            unassigned.put(split.queuePartition(), split);
            targets.invalidate();
        }
    }

    /**
     * {@code p} is unassigned again. If it was live and its target is {@code owner} (or owner is
     * unchanged, null), the targets still hold and it waits for its target; otherwise the inputs of
     * the assignment changed.
     */
    private void waitForTarget(QueuePartition p, boolean wasLive, Integer owner) {
        Integer target =
                targets.targetOf(p); // null when not computed: the next assign computes all
        if (wasLive && target != null && (owner == null || owner.equals(target))) {
            targets.waiting(p);
        } else {
            targets.invalidate();
        }
    }

    /** Splits Flink hands back from a failed reader (assigned since its last checkpoint). */
    void addBack(Collection<ZkmqSplit> splits, int reader) {
        for (ZkmqSplit s : splits) {
            QueuePartition p = s.queuePartition();
            boolean wasLive = isLive(p);
            held.remove(p);
            awaiting.remove(p);
            if (!finished.contains(p)) {
                unassigned.put(p, s);
                lastOwner.put(p, reader);
                waitForTarget(p, wasLive, reader);
            } else if (wasLive) {
                targets.invalidate();
            }
        }
    }

    /**
     * A reader (re-)registered with the splits of its restored state. Whatever the enumerator
     * thought this reader held comes back through {@code reported} or {@link #addBack}; the rest
     * awaits the other readers' reports.
     */
    void readerRegistered(int reader, Collection<ZkmqSplit> reported) {
        List<QueuePartition> wasHeld = new ArrayList<>();
        held.forEach(
                (p, r) -> {
                    if (r == reader) {
                        wasHeld.add(p);
                    }
                });
        for (QueuePartition p : wasHeld) {
            held.remove(p);
            awaiting.add(p);
        }
        for (ZkmqSplit s : reported) {
            QueuePartition p = s.queuePartition();
            boolean wasLive = isLive(p);
            awaiting.remove(p);
            held.remove(p);
            finished.remove(p);
            unassigned.put(p, s); // the reported one carries the checkpointed position
            waitForTarget(p, wasLive, null);
        }
    }

    /** Once all readers registered, splits nobody reported were finished before the checkpoint. */
    List<QueuePartition> settleAwaiting(Set<Integer> registered, int parallelism) {
        for (int i = 0; i < parallelism; i++) {
            if (!registered.contains(i)) {
                return List.of();
            }
        }
        List<QueuePartition> settled = new ArrayList<>(awaiting);
        if (!settled.isEmpty()) {
            finished.addAll(awaiting);
            awaiting.clear();
            targets.invalidate();
        }
        return settled;
    }

    /** A queue was deleted: forget its splits (readers end the ones they hold). */
    void removeQueue(String queue) {
        lastOwner.keySet().removeIf(p -> p.queue().equals(queue));
        held.keySet().removeIf(p -> p.queue().equals(queue));
        unassigned.keySet().removeIf(p -> p.queue().equals(queue));
        awaiting.removeIf(p -> p.queue().equals(queue));
        finished.removeIf(p -> p.queue().equals(queue));
        targets.invalidate();
    }

    /**
     * Hands the unassigned splits whose target reader (over readers {@code 0..parallelism-1}) is
     * registered to it, now marked held by it. The targets are computed only when their inputs
     * changed since the last call, so a reader registering costs its share, not an assignment.
     */
    SortedMap<Integer, List<ZkmqSplit>> assign(int parallelism, Set<Integer> registered) {
        SortedMap<Integer, List<ZkmqSplit>> out = new TreeMap<>();
        if (unassigned.isEmpty() || parallelism < 1) {
            return out;
        }
        if (!targets.isValidFor(parallelism)) {
            Map<QueuePartition, Integer> previous = new HashMap<>(lastOwner); // lookups only
            previous.putAll(held);
            targets.compute(allLive(), previous, unassigned.keySet(), parallelism);
        }
        targets.takeWaitingFor(registered)
                .forEach(
                        (reader, splits) -> {
                            List<ZkmqSplit> toReader = new ArrayList<>(splits.size());
                            for (QueuePartition p : splits) {
                                toReader.add(unassigned.remove(p));
                                held.put(p, reader);
                                lastOwner.put(p, reader);
                            }
                            out.put(reader, toReader);
                        });
        return out;
    }

    private SortedSet<QueuePartition> allLive() {
        SortedSet<QueuePartition> all = new TreeSet<>(held.keySet());
        all.addAll(unassigned.keySet());
        all.addAll(awaiting);
        return all;
    }

    /** Splits known but not held by any reader (waiting for one, or for a report). */
    int unassignedCount() {
        return unassigned.size() + awaiting.size();
    }

    SortedMap<QueuePartition, Integer> held() {
        return held;
    }

    SortedSet<QueuePartition> finished() {
        return finished;
    }

    /** Score evaluations of every assignment computed so far (the cost tests bound). */
    long scoreEvaluations() {
        return targets.scoreEvaluations();
    }
}
