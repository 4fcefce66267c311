package io.zkmq.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One router shared by many threads gives the same answers as a single thread. hash4j's bucket
 * hashers carry a mutable generator, so caching one in a field would break this.
 */
class KeyRouterConcurrencyTest {

    private static final int THREADS = 4;
    private static final int KEYS = 50_000;
    private static final int PARTITIONS = 37;

    @Test
    void aSharedRouterRoutesConcurrentCallsAsASingleThreadDoes() throws Exception {
        KeyRouter router = new KeyRouter();
        int[] expected = new int[KEYS];
        for (int i = 0; i < KEYS; i++) {
            expected[i] = router.partitionFor(key(i), PARTITIONS);
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> mismatches = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                mismatches.add(
                        pool.submit(
                                () -> {
                                    int wrong = 0;
                                    for (int i = 0; i < KEYS; i++) {
                                        if (router.partitionFor(key(i), PARTITIONS)
                                                != expected[i]) {
                                            wrong++;
                                        }
                                    }
                                    return wrong;
                                }));
            }
            for (Future<Integer> wrong : mismatches) {
                assertThat(wrong.get(30, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] key(int i) {
        return ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }
}
