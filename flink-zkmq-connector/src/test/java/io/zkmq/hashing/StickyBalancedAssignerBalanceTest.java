package io.zkmq.hashing;

import static io.zkmq.hashing.SplitLayouts.assertBalanced;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every reader holds floor(P/R) or ceil(P/R) splits, from scratch and after arbitrary changes of
 * readers and splits, over random layouts of 1-100 queues, 0-4096 partitions and 1-128 readers.
 */
class StickyBalancedAssignerBalanceTest {

    private static final int LAYOUTS = 300;

    @Test
    void everyReaderHoldsFloorOrCeilOfSplitsPerReaderInRandomLayouts() {
        Random random = new Random(20240611L);
        for (int layout = 0; layout < LAYOUTS; layout++) {
            boolean numeric = random.nextBoolean();
            StickyBalancedAssigner assigner =
                    numeric
                            ? StickyBalancedAssigner.numericOrder()
                            : StickyBalancedAssigner.naturalOrder();

            // Half the layouts are small, so more readers than splits is common.
            List<String> splits = randomSplits(random, "queue", random.nextBoolean() ? 4096 : 200);
            List<String> readers = randomReaders(random, numeric, 1 + random.nextInt(128));
            Assignment fresh = assigner.assign(splits, readers, Map.of());
            assertBalanced(fresh, splits, readers);

            // Sticky path: drop and add splits and readers, keep the previous owners.
            List<String> nextSplits = keepSome(random, splits, 0.8);
            nextSplits.addAll(randomSplits(random, "added", 64));
            List<String> nextReaders = keepSome(random, readers, 0.7);
            nextReaders.addAll(randomReaders(random, numeric, 1 + random.nextInt(16)));
            Assignment sticky = assigner.assign(nextSplits, nextReaders, fresh.ownerBySplit());
            assertBalanced(sticky, nextSplits, nextReaders);
        }
    }

    /** 1-100 queues sharing 0..maxPartitions partitions at random. */
    private static List<String> randomSplits(Random random, String queuePrefix, int maxPartitions) {
        int queues = 1 + random.nextInt(100);
        int total = random.nextInt(maxPartitions + 1);
        Map<String, Integer> partitionsByQueue = new TreeMap<>();
        for (int i = 0; i < total; i++) {
            partitionsByQueue.merge(queuePrefix + random.nextInt(queues), 1, Integer::sum);
        }
        return SplitLayouts.splitsOf(partitionsByQueue);
    }

    /** Random ids; numeric ones may repeat, which also exercises de-duplication. */
    private static List<String> randomReaders(Random random, boolean numeric, int count) {
        List<String> readers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            readers.add(
                    numeric
                            ? Integer.toString(random.nextInt(1000))
                            : "reader-" + Long.toHexString(random.nextLong()));
        }
        return readers;
    }

    private static List<String> keepSome(Random random, List<String> ids, double keepProbability) {
        List<String> kept = new ArrayList<>();
        for (String id : ids) {
            if (random.nextDouble() < keepProbability) {
                kept.add(id);
            }
        }
        return kept;
    }
}
