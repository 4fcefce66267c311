package io.zkmq.hashing;

import static io.zkmq.hashing.SplitLayouts.splitsOf;
import static io.zkmq.hashing.SplitLayouts.subtasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The assignment depends only on the sets of splits and readers and on the previous owners: not on
 * input order, duplicates, map implementation or stale entries; and it is the same in every JVM.
 */
class StickyBalancedAssignerDeterminismTest {

    private final StickyBalancedAssigner assigner = StickyBalancedAssigner.numericOrder();

    @Test
    void shuffledAndDuplicatedInputsGiveTheIdenticalAssignment() {
        List<String> splits = new ArrayList<>(splitsOf("orders", 37));
        splits.addAll(splitsOf("payments", 11));
        List<String> readers = subtasks(9);
        // A previous assignment on other readers, so keeping, shedding and placing all happen.
        Map<String, String> previous =
                assigner.assign(splits.subList(0, 40), subtasks(6), Map.of()).ownerBySplit();
        Assignment expected = assigner.assign(splits, readers, previous);

        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            List<String> shuffledSplits = new ArrayList<>(splits);
            shuffledSplits.addAll(splits.subList(0, random.nextInt(splits.size())));
            Collections.shuffle(shuffledSplits, random);
            List<String> shuffledReaders = new ArrayList<>(readers);
            shuffledReaders.addAll(readers.subList(0, random.nextInt(readers.size())));
            Collections.shuffle(shuffledReaders, random);
            List<Map.Entry<String, String>> entries = new ArrayList<>(previous.entrySet());
            Collections.shuffle(entries, random);
            Map<String, String> reinserted =
                    round % 2 == 0 ? new LinkedHashMap<>() : new HashMap<>(4, 0.9f);
            entries.forEach(e -> reinserted.put(e.getKey(), e.getValue()));

            assertThat(assigner.assign(shuffledSplits, shuffledReaders, reinserted))
                    .as("round %d", round)
                    .isEqualTo(expected);
        }
    }

    @Test
    void previousOwnersOfRemovedSplitsOrOfReadersThatLeftAreIgnored() {
        List<String> splits = splitsOf("orders", 20);
        List<String> readers = subtasks(4);
        Map<String, String> previous =
                new TreeMap<>(assigner.assign(splits, subtasks(5), Map.of()).ownerBySplit());
        Map<String, String> relevant = new TreeMap<>(previous);
        relevant.values().removeIf("4"::equals);

        Map<String, String> stale = new TreeMap<>(previous);
        stale.put("orders-99", "1"); // a split that no longer exists
        stale.put("deleted-0", "17"); // neither split nor reader exists

        Assignment expected = assigner.assign(splits, readers, relevant);
        assertThat(assigner.assign(splits, readers, previous)).isEqualTo(expected);
        assertThat(assigner.assign(splits, readers, stale)).isEqualTo(expected);
    }

    @Test
    void assignmentOfAPinnedLayoutIsTheSameInEveryJvm() {
        List<String> splits = new ArrayList<>(splitsOf("orders", 4));
        splits.addAll(splitsOf("payments", 4));

        Assignment onThree = assigner.assign(splits, subtasks(3), Map.of());
        Assignment onFour = assigner.assign(splits, subtasks(4), onThree.ownerBySplit());

        // Pinned from a first run: guards the hashes, the score mix and the tie-breaking.
        assertThat(onThree.ownerBySplit())
                .containsExactly(
                        entry("orders-0", "2"),
                        entry("orders-1", "0"),
                        entry("orders-2", "0"),
                        entry("orders-3", "1"),
                        entry("payments-0", "2"),
                        entry("payments-1", "1"),
                        entry("payments-2", "0"),
                        entry("payments-3", "1"));
        assertThat(onFour.ownerBySplit())
                .containsExactly(
                        entry("orders-0", "2"),
                        entry("orders-1", "0"),
                        entry("orders-2", "3"),
                        entry("orders-3", "3"),
                        entry("payments-0", "2"),
                        entry("payments-1", "1"),
                        entry("payments-2", "0"),
                        entry("payments-3", "1"));
        assertThat(onFour.moves(onThree.ownerBySplit())).isEqualTo(2);
    }
}
