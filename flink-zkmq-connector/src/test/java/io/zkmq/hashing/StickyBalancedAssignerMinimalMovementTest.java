package io.zkmq.hashing;

import static io.zkmq.hashing.SplitLayouts.assertBalanced;
import static io.zkmq.hashing.SplitLayouts.minimumMoves;
import static io.zkmq.hashing.SplitLayouts.splitsOf;
import static io.zkmq.hashing.SplitLayouts.subtasks;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every change moves the fewest splits a balanced assignment can: the bound proved in {@link
 * SplitLayouts#minimumMoves}, and the specific numbers it gives for a rescale and new partitions.
 */
class StickyBalancedAssignerMinimalMovementTest {

    private static final int STEPS = 200;
    private static final int[] SPLIT_COUNTS = {0, 1, 5, 8, 17, 100, 257, 1000};
    private static final int[] READER_COUNTS = {1, 2, 3, 7, 8, 16, 33};

    private final StickyBalancedAssigner assigner = StickyBalancedAssigner.numericOrder();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void everyStepOfARandomHistoryMovesTheTheoreticalMinimum(long seed) {
        Random random = new Random(seed);
        SortedMap<String, Integer> partitionsByQueue = new TreeMap<>();
        int nextQueue = 0;
        for (; nextQueue < 3; nextQueue++) {
            partitionsByQueue.put("queue" + nextQueue, 1 + random.nextInt(16));
        }
        List<String> readers = new ArrayList<>(subtasks(1 + random.nextInt(8)));
        int nextReader = readers.size();
        Map<String, String> previous =
                assigner.assign(splitsOf(partitionsByQueue), readers, Map.of()).ownerBySplit();

        for (int step = 0; step < STEPS; step++) {
            int readersBefore = readers.size();
            int splitsBefore = previous.size();
            String change;
            Integer expectedMoves = null; // the specific number, where the change has one
            int kind = random.nextInt(4);
            if (kind == 0 || (kind == 1 && readers.size() == 1)) {
                readers.add(Integer.toString(nextReader++));
                change = "add a reader";
                expectedMoves = splitsBefore / (readersBefore + 1);
            } else if (kind == 1) {
                String leaving = readers.remove(random.nextInt(readers.size()));
                change = "remove reader " + leaving;
                expectedMoves = (int) previous.values().stream().filter(leaving::equals).count();
            } else if (kind == 2 || partitionsByQueue.size() == 1) {
                String queue =
                        random.nextInt(3) == 0
                                ? "queue" + nextQueue++
                                : randomKey(random, partitionsByQueue);
                partitionsByQueue.merge(queue, 1 + random.nextInt(8), Integer::sum);
                change = "add partitions to " + queue;
                expectedMoves = 0;
            } else {
                String queue = randomKey(random, partitionsByQueue);
                partitionsByQueue.remove(queue);
                change = "delete " + queue;
            }

            List<String> splits = splitsOf(partitionsByQueue);
            Assignment next = assigner.assign(splits, readers, previous);
            String description =
                    String.format(
                            "seed %d step %d: %s (P = %d, R = %d -> %d)",
                            seed, step, change, splits.size(), readersBefore, readers.size());
            assertBalanced(next, splits, readers);
            assertThat(next.moves(previous))
                    .as(description)
                    .isEqualTo(minimumMoves(splits, readers, previous));
            if (expectedMoves != null) {
                assertThat(next.moves(previous)).as(description).isEqualTo(expectedMoves);
            }
            previous = next.ownerBySplit();
        }
    }

    @Test
    void addingOneReaderToABalancedAssignmentMovesFloorOfPOverRPlusOne() {
        for (int p : SPLIT_COUNTS) {
            for (int r : READER_COUNTS) {
                List<String> splits = twoQueues(p);
                Assignment before = assigner.assign(splits, subtasks(r), Map.of());
                Assignment after = assigner.assign(splits, subtasks(r + 1), before.ownerBySplit());
                assertThat(after.moves(before.ownerBySplit()))
                        .as("P = %d, R = %d -> %d", p, r, r + 1)
                        .isEqualTo(p / (r + 1));
            }
        }
    }

    @Test
    void removingTheLastReaderMovesExactlyItsSplitsAndNothingElse() {
        for (int p : SPLIT_COUNTS) {
            for (int r : READER_COUNTS) {
                if (r < 2) {
                    continue;
                }
                List<String> splits = twoQueues(p);
                Assignment before = assigner.assign(splits, subtasks(r), Map.of());
                String last = Integer.toString(r - 1);
                Assignment after = assigner.assign(splits, subtasks(r - 1), before.ownerBySplit());
                assertThat(after.moves(before.ownerBySplit()))
                        .as("P = %d, R = %d -> %d", p, r, r - 1)
                        .isEqualTo(before.splitsOf(last).size());
                for (String reader : subtasks(r - 1)) {
                    assertThat(after.splitsOf(reader)).containsAll(before.splitsOf(reader));
                }
            }
        }
    }

    @Test
    void addingAPartitionMovesNothing() {
        for (int p : SPLIT_COUNTS) {
            for (int r : READER_COUNTS) {
                List<String> splits = splitsOf("orders", p);
                Assignment before = assigner.assign(splits, subtasks(r), Map.of());
                List<String> grown = splitsOf("orders", p + 1);
                Assignment after = assigner.assign(grown, subtasks(r), before.ownerBySplit());
                assertThat(after.moves(before.ownerBySplit()))
                        .as("P = %d -> %d, R = %d", p, p + 1, r)
                        .isZero();
                assertThat(after.ownerBySplit()).containsKey("orders-" + p);
            }
        }
    }

    /** p splits over two queues of unequal size. */
    private static List<String> twoQueues(int p) {
        List<String> splits = new ArrayList<>(splitsOf("orders", p / 3));
        splits.addAll(splitsOf("payments", p - p / 3));
        return splits;
    }

    private static String randomKey(Random random, SortedMap<String, Integer> map) {
        return new ArrayList<>(map.keySet()).get(random.nextInt(map.size()));
    }
}
