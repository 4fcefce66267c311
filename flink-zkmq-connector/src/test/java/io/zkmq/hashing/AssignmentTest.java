package io.zkmq.hashing;

import static io.zkmq.hashing.SplitLayouts.splitsOf;
import static io.zkmq.hashing.SplitLayouts.subtasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What an {@link Assignment} reports: owners, per-reader splits, unassigned splits and moves. */
class AssignmentTest {

    @Test
    void withNoReadersEverySplitIsUnassignedAndEveryPreviouslyOwnedSplitCountsAsMoved() {
        List<String> splits = splitsOf("orders", 5);
        Map<String, String> previous = Map.of("orders-0", "0", "orders-1", "1", "gone-0", "0");

        Assignment assignment =
                StickyBalancedAssigner.numericOrder().assign(splits, List.of(), previous);

        assertThat(assignment.ownerBySplit()).isEmpty();
        assertThat(assignment.unassignedSplits()).containsExactlyElementsOf(new TreeSet<>(splits));
        assertThat(assignment.splits()).containsExactlyElementsOf(new TreeSet<>(splits));
        assertThat(assignment.moves(previous)).isEqualTo(2);
    }

    @Test
    void movesCountsOnlySplitsThatExistBeforeAndNowAndChangedOwner() {
        TreeMap<String, String> owners = new TreeMap<>();
        owners.put("a", "r1"); // same owner: not a move
        owners.put("b", "r2"); // was r1: a move
        owners.put("c", "r1"); // owner r9 left: a move
        owners.put("d", "r2"); // new split: not a move
        owners.put("e", "r2"); // previous owner unknown (null): not a move
        Assignment assignment = new Assignment(new TreeSet<>(owners.keySet()), owners);

        Map<String, String> previous = new HashMap<>();
        previous.put("a", "r1");
        previous.put("b", "r1");
        previous.put("c", "r9");
        previous.put("e", null);
        previous.put("removed", "r1"); // split deleted: not a move

        assertThat(assignment.moves(previous)).isEqualTo(2);
        assertThat(assignment.moves(Map.of())).isZero();
    }

    @Test
    void splitsOfIsSortedAndEmptyForAReaderWithoutSplits() {
        Assignment assignment =
                StickyBalancedAssigner.numericOrder()
                        .assign(splitsOf("orders", 3), subtasks(5), Map.of());

        int total = 0;
        for (String reader : subtasks(5)) {
            List<String> mine = assignment.splitsOf(reader);
            assertThat(mine).isSorted();
            total += mine.size();
        }
        assertThat(total).isEqualTo(3);
        assertThat(assignment.splitsOf("no-such-reader")).isEmpty();
        assertThat(assignment.unassignedSplits()).isEmpty();
    }

    @Test
    void viewsAreImmutable() {
        Assignment assignment =
                StickyBalancedAssigner.numericOrder()
                        .assign(splitsOf("orders", 4), subtasks(2), Map.of());

        assertThatThrownBy(() -> assignment.ownerBySplit().put("x", "0"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> assignment.splitsOf("0").clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> assignment.splits().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void inputMutationAfterAssignDoesNotChangeTheAssignment() {
        TreeMap<String, String> owners = new TreeMap<>(Map.of("a", "r1"));
        TreeSet<String> splits = new TreeSet<>(List.of("a"));
        Assignment assignment = new Assignment(splits, owners);

        owners.put("a", "r2");
        splits.add("b");

        assertThat(assignment.ownerBySplit()).containsOnlyKeys("a").containsEntry("a", "r1");
        assertThat(assignment.splits()).containsExactly("a");
    }
}
