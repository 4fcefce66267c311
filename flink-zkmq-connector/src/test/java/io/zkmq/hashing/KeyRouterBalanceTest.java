package io.zkmq.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys spread evenly over the partitions, as a uniform random choice would. */
class KeyRouterBalanceTest {

    private static final int KEYS = 100_000;

    private final KeyRouter router = new KeyRouter();

    @ParameterizedTest(name = "P = {0}")
    @ValueSource(ints = {2, 3, 7, 16, 100})
    void everyPartitionGetsItsShareOfKeysWithinFiveStandardDeviations(int p) {
        int[] keysPerPartition = new int[p];
        for (int i = 0; i < KEYS; i++) {
            byte[] key = ("order-" + i).getBytes(StandardCharsets.UTF_8);
            keysPerPartition[router.partitionFor(key, p)]++;
        }
        double share = 1.0 / p;
        double expected = KEYS * share;
        double tolerance = 5 * Math.sqrt(KEYS * share * (1 - share));
        for (int partition = 0; partition < p; partition++) {
            assertThat((double) keysPerPartition[partition])
                    .as("keys in partition %d of %d", partition, p)
                    .isCloseTo(expected, offset(tolerance));
        }
    }
}
