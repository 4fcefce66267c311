package io.zkmq.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Growing a queue from P to P+1 partitions moves only keys into the new partition, and about
 * 1/(P+1) of them: the property that makes adding partitions cheap for keyed consumers.
 */
class KeyRouterGrowthTest {

    private static final int KEYS = 100_000;

    private final KeyRouter router = new KeyRouter();

    @ParameterizedTest(name = "P = {0}")
    @ValueSource(ints = {1, 2, 3, 7, 16, 100, 1023})
    void growingByOnePartitionMovesOnlyKeysToTheNewPartitionAndAboutOneInPPlusOne(int p) {
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            int before = router.partitionFor(key, p);
            int after = router.partitionFor(key, p + 1);
            if (before != after) {
                assertThat(after).as("a moved key goes to the new partition").isEqualTo(p);
                moved++;
            }
        }
        // Each key moves with probability 1/(P+1); allow five standard deviations.
        double share = 1.0 / (p + 1);
        double expected = KEYS * share;
        double tolerance = 5 * Math.sqrt(KEYS * share * (1 - share));
        assertThat((double) moved).isCloseTo(expected, offset(tolerance));
    }
}
