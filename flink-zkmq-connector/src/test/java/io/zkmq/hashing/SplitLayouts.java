package io.zkmq.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builders and checks shared by the assignment tests. */
final class SplitLayouts {

    private SplitLayouts() {}

    /** The split ids of a queue: {@code queue-0 .. queue-(partitions-1)}. */
    static List<String> splitsOf(String queue, int partitions) {
        List<String> splits = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            splits.add(queue + "-" + p);
        }
        return splits;
    }

    /** The split ids of several queues, given as queue name to partition count. */
    static List<String> splitsOf(Map<String, Integer> partitionsByQueue) {
        List<String> splits = new ArrayList<>();
        partitionsByQueue.forEach(
                (queue, partitions) -> splits.addAll(splitsOf(queue, partitions)));
        return splits;
    }

    /** Reader ids as Flink subtask indices {@code "0" .. "n-1"}. */
    static List<String> subtasks(int n) {
        List<String> readers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            readers.add(Integer.toString(i));
        }
        return readers;
    }

    /**
     * Every split has a reader among {@code readers}, and every reader holds floor or ceil of P/R.
     */
    static void assertBalanced(
            Assignment assignment, Collection<String> splits, Collection<String> readers) {
        Set<String> splitSet = new TreeSet<>(splits);
        Set<String> readerSet = new TreeSet<>(readers);
        assertThat(assignment.ownerBySplit().keySet()).isEqualTo(splitSet);
        assertThat(readerSet).containsAll(assignment.ownerBySplit().values());
        int floor = splitSet.size() / readerSet.size();
        int ceil = floor + (splitSet.size() % readerSet.size() == 0 ? 0 : 1);
        for (String reader : readerSet) {
            assertThat(assignment.splitsOf(reader).size())
                    .as(
                            "splits of reader %s (P = %d, R = %d)",
                            reader, splitSet.size(), readerSet.size())
                    .isBetween(floor, ceil);
        }
    }

    /**
     * The fewest surviving splits any balanced assignment of {@code splits} to {@code readers} can
     * move away from {@code previous}.
     *
     * <p>Proof. Let P splits, R readers, q = P div R, r = P mod R. In a balanced assignment every
     * reader holds q or q+1 and the holdings sum to P, so exactly r readers hold q+1 (their
     * capacities c_i). A surviving split can stay only with its previous owner, so every split
     * whose owner left must move ("orphaned"). Reader i previously held h_i surviving splits and
     * can keep at most min(h_i, c_i) of them, so at least max(0, h_i - c_i) of its splits move.
     * Summing, moves >= orphaned + sum_i max(0, h_i - c_i). A "+1" capacity lowers reader i's term
     * by one exactly when h_i > q, so at best min(r, #{i : h_i > q}) of the r "+1" slots save a
     * move: moves >= orphaned + sum_i max(0, h_i - q) - min(r, #{i : h_i > q}). Giving the "+1"
     * slots to the readers holding the most and keeping min(h_i, c_i) reaches this bound, which is
     * what {@link StickyBalancedAssigner} does; so the bound is the minimum.
     *
     * <p>With no readers every surviving split loses its owner and counts as moved.
     */
    static int minimumMoves(
            Collection<String> splits, Collection<String> readers, Map<String, String> previous) {
        Set<String> splitSet = new TreeSet<>(splits);
        Set<String> readerSet = new TreeSet<>(readers);
        int orphaned = 0;
        Map<String, Integer> held = new TreeMap<>();
        for (String split : splitSet) {
            String owner = previous.get(split);
            if (owner == null) {
                continue; // a new split is placed, not moved
            }
            if (readerSet.contains(owner)) {
                held.merge(owner, 1, Integer::sum);
            } else {
                orphaned++;
            }
        }
        if (readerSet.isEmpty()) {
            return orphaned;
        }
        int q = splitSet.size() / readerSet.size();
        int r = splitSet.size() % readerSet.size();
        int excess = 0;
        int overQ = 0;
        for (int h : held.values()) {
            excess += Math.max(0, h - q);
            overQ += h > q ? 1 : 0;
        }
        return orphaned + excess - Math.min(r, overQ);
    }
}
