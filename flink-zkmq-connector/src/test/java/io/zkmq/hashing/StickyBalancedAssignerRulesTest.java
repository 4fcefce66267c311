package io.zkmq.hashing;

import static io.zkmq.hashing.SplitLayouts.splitsOf;
import static io.zkmq.hashing.SplitLayouts.subtasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The individual rules of the algorithm: who gets the "+1" slots, what is kept, what is shed. */
class StickyBalancedAssignerRulesTest {

    private final StickyBalancedAssigner numeric = StickyBalancedAssigner.numericOrder();

    @Test
    void fromScratchTheExtraSplitsGoToTheFirstReadersInReaderOrder() {
        // 14 splits on 4 readers: q = 3, r = 2; nobody holds anything, so the tie goes to "0", "1".
        Assignment assignment = numeric.assign(splitsOf("orders", 14), subtasks(4), Map.of());

        assertThat(assignment.splitsOf("0")).hasSize(4);
        assertThat(assignment.splitsOf("1")).hasSize(4);
        assertThat(assignment.splitsOf("2")).hasSize(3);
        assertThat(assignment.splitsOf("3")).hasSize(3);
    }

    @Test
    void readerOrderBreaksTiesNumericallyOrAsStrings() {
        // One split on three empty readers: q = 0, r = 1, and the "+1" slot is a pure tie.
        List<String> readers = List.of("9", "10", "2");

        Assignment numericResult = numeric.assign(List.of("orders-0"), readers, Map.of());
        Assignment naturalResult =
                StickyBalancedAssigner.naturalOrder()
                        .assign(List.of("orders-0"), readers, Map.of());

        assertThat(numericResult.ownerBySplit()).containsExactly(entry("orders-0", "2"));
        assertThat(naturalResult.ownerBySplit()).containsExactly(entry("orders-0", "10"));
    }

    @Test
    void theExtraSlotGoesToTheReaderAlreadyHoldingTheMostSoNothingMoves() {
        // 7 splits on 3 readers: q = 2, r = 1. Reader "2" holds 3: it keeps the "+1" slot.
        Map<String, String> previous = new TreeMap<>();
        previous.put("orders-0", "0");
        previous.put("orders-1", "0");
        previous.put("orders-2", "1");
        previous.put("orders-3", "1");
        previous.put("orders-4", "2");
        previous.put("orders-5", "2");
        previous.put("orders-6", "2");

        Assignment assignment = numeric.assign(splitsOf("orders", 7), subtasks(3), previous);

        assertThat(assignment.ownerBySplit()).isEqualTo(previous);
        assertThat(assignment.moves(previous)).isZero();
    }

    @Test
    void aReaderOverQuotaKeepsItsHighestScoringSplitsAndShedsTheRest() {
        List<String> splits = splitsOf("orders", 10);
        Map<String, String> allOnZero =
                splits.stream()
                        .collect(Collectors.toMap(s -> s, s -> "0", (a, b) -> a, TreeMap::new));

        // 10 splits on 5 readers: reader "0" may keep 2 of its 10.
        Assignment assignment = numeric.assign(splits, subtasks(5), allOnZero);

        long readerHash = RendezvousScore.idHash("0");
        List<String> highestScoring =
                splits.stream()
                        .sorted(
                                Comparator.comparing(
                                        (String s) ->
                                                RendezvousScore.score(
                                                        RendezvousScore.idHash(s), readerHash),
                                        (a, b) -> Long.compareUnsigned(b, a)))
                        .limit(2)
                        .sorted()
                        .collect(Collectors.toList());
        assertThat(assignment.splitsOf("0")).isEqualTo(highestScoring);
        assertThat(assignment.moves(allOnZero)).isEqualTo(8);
    }

    @Test
    void theFirstSplitPlacedGoesToItsHighestScoringReader() {
        // 6 splits on 3 readers from scratch: every quota is 2, so the first split placed (the
        // lowest hash) finds room everywhere and must take its best-scoring reader.
        List<String> splits = splitsOf("orders", 6);
        Assignment assignment = numeric.assign(splits, subtasks(3), Map.of());

        String first =
                splits.stream()
                        .min(Comparator.comparing(RendezvousScore::idHash, Long::compareUnsigned))
                        .orElseThrow();
        long splitHash = RendezvousScore.idHash(first);
        String best =
                subtasks(3).stream()
                        .max(
                                Comparator.comparing(
                                        (String r) ->
                                                RendezvousScore.score(
                                                        splitHash, RendezvousScore.idHash(r)),
                                        Long::compareUnsigned))
                        .orElseThrow();
        assertThat(assignment.ownerBySplit()).containsEntry(first, best);
    }
}
