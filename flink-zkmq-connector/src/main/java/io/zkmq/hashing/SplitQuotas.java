package io.zkmq.hashing;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Per-reader split quotas of a balanced assignment: q = P div R for everyone, plus one for the P
 * mod R readers already holding the most, so those "+1" slots land where they save a move.
 */
final class SplitQuotas {

    private SplitQuotas() {}

    /**
     * Returns the quota of each reader.
     *
     * @param numSplits P, the number of splits
     * @param heldByReader per reader, in reader order, how many of its previous splits it can keep
     *     (they still exist and it is still a reader); its length is R, at least 1
     */
    static int[] of(int numSplits, int[] heldByReader) {
        int numReaders = heldByReader.length;
        int base = numSplits / numReaders;
        int extra = numSplits % numReaders;
        int[] quota = new int[numReaders];
        Arrays.fill(quota, base);
        IntStream.range(0, numReaders)
                .boxed()
                .sorted(
                        Comparator.comparingInt((Integer i) -> heldByReader[i])
                                .reversed()
                                .thenComparingInt(i -> i))
                .limit(extra)
                .forEach(i -> quota[i]++);
        return quota;
    }
}
