package io.zkmq.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The routing described in docs/hashing.md is complete: JumpBackHash written from that description
 * alone, on top of a plain SplitMix64, agrees with {@link KeyRouter}. A producer in another
 * language needs only this and an xxh3_64 implementation.
 */
class KeyRouterSpecificationTest {

    private static final int[] PARTITION_COUNTS = {1, 2, 3, 5, 8, 13, 64, 100, 1000, 4097, 1 << 20};

    @Test
    void jumpBackHashFromTheDocsAgreesWithKeyRouter() {
        KeyRouter router = new KeyRouter();
        for (int i = 0; i < 20_000; i++) {
            byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            long hash = KeyRouter.keyHash(key);
            for (int p : PARTITION_COUNTS) {
                assertThat(router.partitionFor(key, p))
                        .as("key-%d with P = %d", i, p)
                        .isEqualTo(documentedJumpBackHash(hash, p));
            }
        }
    }

    /** Transcribed from the pseudo-code in docs/hashing.md. */
    private static int documentedJumpBackHash(long hash, int n) {
        if (n == 1) {
            return 0;
        }
        SplitMix64 random = new SplitMix64(hash);
        long bits = random.next();
        int mask = (int) (bits ^ (bits >>> 32)) & (-1 >>> Integer.numberOfLeadingZeros(n - 1));
        while (mask != 0) {
            int low = Integer.highestOneBit(mask);
            int half = (Integer.bitCount(mask) & 1) == 1 ? (int) (bits >>> 32) : (int) bits;
            int bucket = low + (half & (low - 1));
            if (bucket < n) {
                return bucket;
            }
            int high = 2 * low - 1;
            while (true) {
                long next = random.next();
                bucket = (int) next & high;
                if (bucket < low) {
                    break;
                }
                if (bucket < n) {
                    return bucket;
                }
                bucket = (int) (next >>> 32) & high;
                if (bucket < low) {
                    break;
                }
                if (bucket < n) {
                    return bucket;
                }
            }
            mask ^= low;
        }
        return 0;
    }

    /** Vigna's SplitMix64, seeded with the key hash. */
    private static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long next() {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
