package io.zkmq.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Null keys and impossible partition counts are rejected with a message that says why. */
class KeyRouterArgumentsTest {

    private final KeyRouter router = new KeyRouter();

    @Test
    void nullKeyIsRejectedBecauseTheProducerSpreadsItRoundRobin() {
        assertThatThrownBy(() -> router.partitionFor(null, 4))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("key must not be null")
                .hasMessageContaining("round-robin");
        assertThatThrownBy(() -> KeyRouter.keyHash(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("key must not be null");
    }

    @Test
    void fewerThanOnePartitionIsRejectedNamingTheValue() {
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> router.partitionFor(key, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("numPartitions")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> router.partitionFor(key, -3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
    }

    @Test
    void onePartitionTakesEveryKeyAndLargeCountsStayInRange() {
        for (int i = 0; i < 1_000; i++) {
            byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            assertThat(router.partitionFor(key, 1)).isZero();
            assertThat(router.partitionFor(key, Integer.MAX_VALUE))
                    .isBetween(0, Integer.MAX_VALUE - 1);
        }
    }
}
