package io.zkmq.hashing;

import static io.zkmq.hashing.SplitLayouts.assertBalanced;
import static io.zkmq.hashing.SplitLayouts.subtasks;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Against Kafka source's formula, the sticky balanced assigner is always within floor/ceil and
 * never moves more splits on a rescale. Prints the tables quoted in docs/hashing.md.
 */
class KafkaStyleComparisonTest {

    private static final int[] READER_COUNTS = {4, 7, 8};

    private final StickyBalancedAssigner assigner = StickyBalancedAssigner.numericOrder();

    @Test
    void kafkaFormulaMatchesTheKafkaSourceEnumerator() {
        // Kafka: start = ((topic.hashCode() * 31) & 0x7FFFFFFF) % R, owner = (start + p) % R.
        int start = (("orders".hashCode() * 31) & 0x7FFFFFFF) % 8;
        for (int p = 0; p < 20; p++) {
            assertThat(KafkaStyleAssignment.kafkaStyleOwner("orders", p, 8))
                    .isEqualTo((start + p) % 8);
        }
        assertThat(KafkaStyleAssignment.kafkaStyleOwner("orders", 0, 1)).isZero();
    }

    @Test
    void stickyBalancedIsWithinFloorAndCeilAndMovesNoMoreThanKafkaOnRescale() {
        StringBuilder balance =
                new StringBuilder(
                        "| layout | P | R | Kafka max/min | ZKMQ max/min |\n"
                                + "|---|---|---|---|---|\n");
        StringBuilder rescale =
                new StringBuilder(
                        "| layout | P | rescale | Kafka moves | ZKMQ moves | floor(P/(R+1)) |\n"
                                + "|---|---|---|---|---|---|\n");
        for (Map.Entry<String, SortedMap<String, Integer>> layout : layouts().entrySet()) {
            SortedMap<String, Integer> queues = layout.getValue();
            List<String> splits = SplitLayouts.splitsOf(queues);
            int p = splits.size();
            for (int r : READER_COUNTS) {
                Map<String, String> kafkaBefore = kafka(queues, r);
                Map<String, String> kafkaAfter = kafka(queues, r + 1);
                Assignment oursBefore = assigner.assign(splits, subtasks(r), Map.of());
                Assignment oursAfter =
                        assigner.assign(splits, subtasks(r + 1), oursBefore.ownerBySplit());

                assertBalanced(oursBefore, splits, subtasks(r));
                assertBalanced(oursAfter, splits, subtasks(r + 1));
                int kafkaMoves = moves(kafkaBefore, kafkaAfter);
                int ourMoves = oursAfter.moves(oursBefore.ownerBySplit());
                assertThat(ourMoves).isEqualTo(p / (r + 1)).isLessThanOrEqualTo(kafkaMoves);

                balance.append(
                        String.format(
                                "| %s | %d | %d | %s | %s |%n",
                                layout.getKey(),
                                p,
                                r,
                                maxMin(kafkaBefore, r),
                                maxMin(oursBefore.ownerBySplit(), r)));
                rescale.append(
                        String.format(
                                "| %s | %d | %d -> %d | %d (%d%%) | %d (%d%%) | %d |%n",
                                layout.getKey(),
                                p,
                                r,
                                r + 1,
                                kafkaMoves,
                                100 * kafkaMoves / p,
                                ourMoves,
                                100 * ourMoves / p,
                                p / (r + 1)));
            }
        }
        System.out.println("Splits per reader, Kafka formula vs sticky balanced (ZKMQ)");
        System.out.println(balance);
        System.out.println("Splits moved on a rescale by one reader");
        System.out.println(rescale);
    }

    private static Map<String, SortedMap<String, Integer>> layouts() {
        Map<String, SortedMap<String, Integer>> layouts = new LinkedHashMap<>();
        layouts.put("2 queues x 4", queues(List.of("orders", "payments"), 4));
        layouts.put("10 queues x 3", queues(numbered("queue-", 10), 3));
        layouts.put("1 queue x 100", queues(List.of("events"), 100));
        layouts.put("100 queues x 1", queues(numbered("queue-", 100), 1));
        return layouts;
    }

    /** Owner of each split under Kafka's formula, readers named by index like ours. */
    private static Map<String, String> kafka(SortedMap<String, Integer> queues, int readers) {
        Map<String, String> owners = new TreeMap<>();
        queues.forEach(
                (queue, partitions) -> {
                    for (int p = 0; p < partitions; p++) {
                        int owner = KafkaStyleAssignment.kafkaStyleOwner(queue, p, readers);
                        owners.put(queue + "-" + p, Integer.toString(owner));
                    }
                });
        return owners;
    }

    private static int moves(Map<String, String> before, Map<String, String> after) {
        int moves = 0;
        for (Map.Entry<String, String> owner : before.entrySet()) {
            if (!owner.getValue().equals(after.get(owner.getKey()))) {
                moves++;
            }
        }
        return moves;
    }

    private static String maxMin(Map<String, String> ownerBySplit, int readers) {
        int[] held = new int[readers];
        ownerBySplit.values().forEach(reader -> held[Integer.parseInt(reader)]++);
        int max = Integer.MIN_VALUE;
        int min = Integer.MAX_VALUE;
        for (int h : held) {
            max = Math.max(max, h);
            min = Math.min(min, h);
        }
        return max + "/" + min;
    }

    private static SortedMap<String, Integer> queues(List<String> names, int partitions) {
        SortedMap<String, Integer> queues = new TreeMap<>();
        names.forEach(name -> queues.put(name, partitions));
        return queues;
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }
}
