package io.zkmq.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.split.ZkmqSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The enumerator's bookkeeping through discovery, registration, failover and rescale. */
class SplitTrackerTest {

    private static ZkmqSplit split(String queue, int partition) {
        return ZkmqSplit.unread(
                new QueuePartition(queue, partition),
                StartingPosition.earliest(),
                ZkmqSplit.NO_STOP);
    }

    private static Set<Integer> readers(int n) {
        return IntStream.range(0, n).boxed().collect(Collectors.toSet());
    }

    private static Map<Integer, Integer> countsPerReader(SortedMap<QueuePartition, Integer> held) {
        Map<Integer, Integer> counts = new TreeMap<>();
        held.values().forEach(r -> counts.merge(r, 1, Integer::sum));
        return counts;
    }

    @Test
    void splitsWaitForTheirTargetReaderToRegisterAndStayInTheCheckpointMeanwhile() {
        SplitTracker tracker = new SplitTracker();
        for (int p = 0; p < 8; p++) {
            tracker.addNew(split("orders", p));
        }
        SortedMap<Integer, List<ZkmqSplit>> first = tracker.assign(4, Set.of(0));
        assertThat(first.keySet()).containsExactly(0);
        assertThat(first.get(0)).hasSize(2);
        ZkmqEnumState snapshot = tracker.snapshot(true);
        assertThat(snapshot.unassigned()).hasSize(6);
        assertThat(snapshot.held()).hasSize(2);

        SortedMap<Integer, List<ZkmqSplit>> rest = tracker.assign(4, readers(4));
        assertThat(rest.values().stream().mapToInt(List::size).sum()).isEqualTo(6);
        assertThat(countsPerReader(tracker.held()))
                .containsOnly(Map.entry(0, 2), Map.entry(1, 2), Map.entry(2, 2), Map.entry(3, 2));
        assertThat(tracker.unassignedCount()).isZero();
    }

    @Test
    void restoredSplitsComeBackWithTheirPositionsFromTheReadersReportsAndAreRebalancedMinimally() {
        SplitTracker tracker = new SplitTracker();
        for (int p = 0; p < 12; p++) {
            tracker.addNew(split("orders", p));
        }
        tracker.assign(3, readers(3));
        Map<QueuePartition, Integer> before = new HashMap<>(tracker.held());
        ZkmqEnumState checkpoint = tracker.snapshot(true);

        // Rescale 3 -> 4: Flink spreads the reader state round-robin; readers report what they got.
        SplitTracker restored = SplitTracker.restore(checkpoint);
        List<ZkmqSplit> all = new ArrayList<>();
        for (QueuePartition p : checkpoint.held()) {
            all.add(
                    ZkmqSplit.unread(p, StartingPosition.earliest(), ZkmqSplit.NO_STOP)
                            .withPosition(new Position(1, p.partition() * 10L)));
        }
        Map<Integer, ZkmqSplit> assignedNow = new HashMap<>();
        for (int reader = 0; reader < 4; reader++) {
            List<ZkmqSplit> reported = new ArrayList<>();
            for (int i = reader; i < all.size(); i += 4) {
                reported.add(all.get(i));
            }
            restored.readerRegistered(reader, reported);
            restored.assign(4, readers(reader + 1))
                    .forEach(
                            (r, splits) ->
                                    splits.forEach(
                                            s -> {
                                                assertThat(s.position())
                                                        .as("restored position of %s", s)
                                                        .contains(
                                                                new Position(
                                                                        1, s.partition() * 10L));
                                                assignedNow.put(r * 1000 + s.partition(), s);
                                            }));
        }
        assertThat(restored.unassignedCount()).isZero();
        assertThat(countsPerReader(restored.held()))
                .containsOnly(Map.entry(0, 3), Map.entry(1, 3), Map.entry(2, 3), Map.entry(3, 3));
        long moved =
                restored.held().entrySet().stream()
                        .filter(e -> !e.getValue().equals(before.get(e.getKey())))
                        .count();
        assertThat(moved).as("adding a 4th reader to 12 splits moves floor(12/4)").isEqualTo(3);
    }

    @Test
    void partialFailoverReassignsTheFailedReadersSplitsBackToItAndDropsOnlyWhatItFinished() {
        SplitTracker tracker = new SplitTracker();
        for (int p = 0; p < 4; p++) {
            tracker.addNew(split("orders", p));
        }
        tracker.assign(2, readers(2));
        List<QueuePartition> ofReader1 =
                tracker.held().entrySet().stream()
                        .filter(e -> e.getValue() == 1)
                        .map(Map.Entry::getKey)
                        .toList();
        assertThat(ofReader1).hasSize(2);
        // Reader 1 fails: one split was assigned after its last checkpoint (comes back), the other
        // is in
        // its restored state (reported). Nothing is lost and both return to reader 1.
        ZkmqSplit addedBack = split(ofReader1.get(0).queue(), ofReader1.get(0).partition());
        ZkmqSplit reported =
                split(ofReader1.get(1).queue(), ofReader1.get(1).partition())
                        .withPosition(new Position(2, 20));
        tracker.addBack(List.of(addedBack), 1);
        tracker.readerRegistered(1, List.of(reported));
        assertThat(tracker.settleAwaiting(readers(2), 2)).isEmpty();
        SortedMap<Integer, List<ZkmqSplit>> again = tracker.assign(2, readers(2));
        assertThat(again).containsOnlyKeys(1);
        assertThat(again.get(1)).containsExactlyInAnyOrder(addedBack, reported);
    }

    @Test
    void aSplitNoReaderReportsAfterAFullRestoreWasFinishedAndIsNeverCreatedAgain() {
        SplitTracker tracker = new SplitTracker();
        tracker.addNew(split("orders", 0));
        tracker.addNew(split("orders", 1));
        tracker.assign(2, readers(2));
        SplitTracker restored = SplitTracker.restore(tracker.snapshot(true));
        restored.readerRegistered(0, List.of(split("orders", 0).withPosition(new Position(0, 5))));
        assertThat(restored.settleAwaiting(Set.of(0), 2))
                .as("reader 1 has not registered yet")
                .isEmpty();
        restored.readerRegistered(1, List.of());
        assertThat(restored.settleAwaiting(readers(2), 2))
                .containsExactly(new QueuePartition("orders", 1));
        restored.addNew(split("orders", 1));
        assertThat(
                        restored.assign(2, readers(2)).values().stream()
                                .flatMap(List::stream)
                                .map(ZkmqSplit::partition))
                .containsExactly(0);
        assertThat(restored.snapshot(true).finished())
                .containsExactly(new QueuePartition("orders", 1));
    }

    @Test
    void addingAPartitionMovesNothingAndTheSameInputsInAnyOrderGiveTheSameAssignment() {
        SplitTracker a = new SplitTracker();
        SplitTracker b = new SplitTracker();
        List<ZkmqSplit> splits = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            splits.add(split("orders", p));
            splits.add(split("payments", p));
        }
        splits.forEach(a::addNew);
        List<ZkmqSplit> reversed = new ArrayList<>(splits);
        java.util.Collections.reverse(reversed);
        reversed.forEach(b::addNew);
        a.assign(3, readers(3));
        b.assign(3, readers(3));
        assertThat(a.held()).isEqualTo(b.held());

        Map<QueuePartition, Integer> before = new HashMap<>(a.held());
        a.addNew(split("orders", 10));
        a.assign(3, readers(3));
        before.forEach((p, r) -> assertThat(a.held().get(p)).as("%s stays", p).isEqualTo(r));
        assertThat(countsPerReader(a.held()).values())
                .allSatisfy(c -> assertThat(c).isBetween(7, 7));
    }

    @Test
    void readersRegisteringOneByOneEndWithTheAssignmentOfAllAtOnceAfterOneComputation() {
        SplitTracker oneByOne = new SplitTracker();
        SplitTracker allAtOnce = new SplitTracker();
        for (int p = 0; p < 50; p++) {
            oneByOne.addNew(split("orders", p));
            allAtOnce.addNew(split("orders", p));
        }
        allAtOnce.assign(7, readers(7));
        long oneComputation = allAtOnce.scoreEvaluations();
        for (int reader : List.of(6, 2, 0, 5, 1, 3, 4)) {
            oneByOne.readerRegistered(reader, List.of());
            Set<Integer> registered = new java.util.HashSet<>(oneByOne.held().values());
            registered.add(reader);
            oneByOne.assign(7, registered);
        }
        assertThat(oneByOne.held()).isEqualTo(allAtOnce.held());
        assertThat(oneByOne.scoreEvaluations()).isEqualTo(oneComputation);
    }

    @Test
    void newPartitionsDiscoveredWhileReadersAreMissingMoveNothingAndWaitForTheirTargets() {
        SplitTracker tracker = new SplitTracker();
        for (int p = 0; p < 20; p++) {
            tracker.addNew(split("orders", p));
        }
        tracker.assign(4, Set.of(0, 1));
        Map<QueuePartition, Integer> before = new HashMap<>(tracker.held());
        assertThat(before).hasSize(10);
        for (int p = 20; p < 24; p++) {
            tracker.addNew(split("orders", p));
        }
        tracker.assign(4, Set.of(0, 1));
        assertThat(tracker.snapshot(true).unassigned())
                .as("waiting for readers 2 and 3")
                .isNotEmpty();
        tracker.assign(4, readers(4));
        before.forEach((p, r) -> assertThat(tracker.held().get(p)).as("%s stays", p).isEqualTo(r));
        assertThat(countsPerReader(tracker.held()))
                .containsOnly(Map.entry(0, 6), Map.entry(1, 6), Map.entry(2, 6), Map.entry(3, 6));
        assertThat(tracker.unassignedCount()).isZero();
    }

    @Test
    void aDeletedQueueIsForgotten() {
        SplitTracker tracker = new SplitTracker();
        tracker.addNew(split("orders", 0));
        tracker.addNew(split("gone", 0));
        tracker.assign(1, readers(1));
        tracker.addNew(split("gone", 1));
        tracker.removeQueue("gone");
        assertThat(tracker.known()).containsExactly(new QueuePartition("orders", 0));
        assertThat(tracker.unassignedCount()).isZero();
    }
}
