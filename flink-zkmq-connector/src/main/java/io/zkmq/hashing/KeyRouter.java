package io.zkmq.hashing;

import com.dynatrace.hash4j.consistent.ConsistentHashing;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import com.dynatrace.hash4j.random.PseudoRandomGeneratorProvider;
import java.util.Objects;
import org.apache.flink.annotation.Internal;

/**
 * Routes a record key to one of the partitions of a queue: JumpBackHash (hash4j {@code
 * ConsistentHashing.jumpBackHash} over SplitMix64) applied to the xxh3_64 hash (seed 0) of the key
 * bytes.
 *
 * <p>Jump-style consistent hashing means that growing a queue from P to P+1 partitions moves only
 * about 1/(P+1) of the keys, and all of them to the new partition; {@code murmur2(key) % P} would
 * move about P/(P+1). The mapping is pinned by golden vectors in the tests and in {@code
 * docs/hashing.md} so that producers in other languages route identically.
 *
 * <p>Null keys are not routed here: the producer spreads them round-robin.
 *
 * <p>Stateless and thread-safe.
 */
@Internal
public final class KeyRouter {

    private static final Hasher64 KEY_HASHER = Hashing.xxh3_64();

    /** Creates a router; instances are stateless and may be shared between threads. */
    public KeyRouter() {}

    /**
     * Returns the partition of a queue with {@code numPartitions} partitions that {@code key}
     * belongs to.
     *
     * @param key the record key bytes, not null
     * @param numPartitions the queue's current number of partitions, at least 1
     * @return a partition index in {@code [0, numPartitions)}
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code numPartitions < 1}
     */
    public int partitionFor(byte[] key, int numPartitions) {
        if (numPartitions < 1) {
            throw new IllegalArgumentException(
                    "numPartitions must be at least 1, but was " + numPartitions);
        }
        long hash = keyHash(key);
        // hash4j's bucket hashers keep a mutable generator, so they are not thread-safe; a fresh
        // one per call is two small allocations and avoids ThreadLocals, which leak class loaders
        // in Flink's user-code class loading.
        return ConsistentHashing.jumpBackHash(PseudoRandomGeneratorProvider.splitMix64_V1())
                .getBucket(hash, numPartitions);
    }

    /**
     * Returns the 64-bit hash that routing is based on: xxh3_64 with seed 0 of the key bytes.
     *
     * @param key the record key bytes, not null
     * @throws NullPointerException if {@code key} is null
     */
    public static long keyHash(byte[] key) {
        Objects.requireNonNull(
                key, "key must not be null: null keys are spread round-robin by the producer");
        return KEY_HASHER.hashBytesToLong(key);
    }
}
