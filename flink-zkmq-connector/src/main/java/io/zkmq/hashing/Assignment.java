package io.zkmq.hashing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;

/**
 * An immutable result of {@link StickyBalancedAssigner#assign}: the owner of every split, plus the
 * splits left unassigned because there were no readers.
 *
 * <p>All views are sorted by split id (String natural order) and unmodifiable.
 */
@Internal
public final class Assignment {

    private final SortedSet<String> splits;
    private final SortedMap<String, String> ownerBySplit;
    private final SortedMap<String, List<String>> splitsByReader;
    private final long scoreEvaluations;

    Assignment(Set<String> splits, Map<String, String> ownerBySplit) {
        this(splits, ownerBySplit, 0);
    }

    Assignment(Set<String> splits, Map<String, String> ownerBySplit, long scoreEvaluations) {
        // Copied into natural-order collections, whatever order the arguments use.
        SortedSet<String> splitCopy = new TreeSet<>();
        splitCopy.addAll(splits);
        SortedMap<String, String> ownerCopy = new TreeMap<>();
        ownerCopy.putAll(ownerBySplit);
        this.splits = Collections.unmodifiableSortedSet(splitCopy);
        this.ownerBySplit = Collections.unmodifiableSortedMap(ownerCopy);
        SortedMap<String, List<String>> byReader = new TreeMap<>();
        // ownerBySplit iterates in split order, so every list comes out sorted.
        this.ownerBySplit.forEach(
                (split, reader) ->
                        byReader.computeIfAbsent(reader, r -> new ArrayList<>()).add(split));
        byReader.replaceAll((reader, list) -> List.copyOf(list));
        this.splitsByReader = Collections.unmodifiableSortedMap(byReader);
        this.scoreEvaluations = scoreEvaluations;
    }

    /**
     * Returns the owner of each assigned split, sorted by split id. Empty when there are no
     * readers.
     */
    public SortedMap<String, String> ownerBySplit() {
        return ownerBySplit;
    }

    /**
     * Returns the splits of {@code reader}, sorted; empty for a reader without splits or unknown.
     */
    public List<String> splitsOf(String reader) {
        Objects.requireNonNull(reader, "reader must not be null");
        return splitsByReader.getOrDefault(reader, List.of());
    }

    /** Returns every split this assignment was computed for, assigned or not, sorted. */
    public SortedSet<String> splits() {
        return splits;
    }

    /**
     * Returns the splits that have no owner, sorted: all of them when there were no readers, none
     * otherwise. The enumerator keeps these in its checkpoint until a reader arrives.
     */
    public SortedSet<String> unassignedSplits() {
        SortedSet<String> unassigned = new TreeSet<>(splits);
        unassigned.removeAll(ownerBySplit.keySet());
        return Collections.unmodifiableSortedSet(unassigned);
    }

    /**
     * Counts the splits that changed owner relative to {@code previous}: splits present in both
     * {@code previous} and this assignment whose owner differs, including splits whose previous
     * owner left (and splits left without an owner). New splits and removed splits are not moves.
     *
     * @param previous the previous owner by split; null values mean "had no owner" and are skipped
     */
    public int moves(Map<String, String> previous) {
        Objects.requireNonNull(previous, "previous owner map must not be null");
        int moves = 0;
        for (Map.Entry<String, String> entry : previous.entrySet()) {
            String split = entry.getKey();
            String before = entry.getValue();
            if (split != null
                    && before != null
                    && splits.contains(split)
                    && !before.equals(ownerBySplit.get(split))) {
                moves++;
            }
        }
        return moves;
    }

    /**
     * Returns how many (split, reader) scores computing this assignment took: its cost, which is at
     * most P x R. Not part of the value: {@link #equals} ignores it.
     */
    public long scoreEvaluations() {
        return scoreEvaluations;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Assignment)) {
            return false;
        }
        Assignment other = (Assignment) o;
        return splits.equals(other.splits) && ownerBySplit.equals(other.ownerBySplit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(splits, ownerBySplit);
    }

    @Override
    public String toString() {
        return "Assignment{ownerBySplit="
                + ownerBySplit
                + ", unassigned="
                + unassignedSplits()
                + '}';
    }
}
