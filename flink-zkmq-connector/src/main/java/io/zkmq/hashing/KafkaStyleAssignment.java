package io.zkmq.hashing;

/**
 * Kafka source's split owner formula, kept only to compare against {@link StickyBalancedAssigner}
 * in tests and docs. It mirrors {@code KafkaSourceEnumerator.getSplitOwner}: a start index from the
 * topic name, then partitions round-robin from there.
 *
 * <p>It uses {@code String.hashCode} because that is Kafka's own formula; nothing in ZKMQ routes
 * with it.
 */
final class KafkaStyleAssignment {

    private KafkaStyleAssignment() {}

    /**
     * Returns the reader index Kafka's source would give {@code partition} of {@code queue}.
     *
     * @throws IllegalArgumentException if {@code numReaders < 1} or {@code partition < 0}
     */
    public static int kafkaStyleOwner(String queue, int partition, int numReaders) {
        if (numReaders < 1) {
            throw new IllegalArgumentException(
                    "numReaders must be at least 1, but was " + numReaders);
        }
        if (partition < 0) {
            throw new IllegalArgumentException(
                    "partition must not be negative, but was " + partition);
        }
        int startIndex = ((queue.hashCode() * 31) & 0x7FFFFFFF) % numReaders;
        return (startIndex + partition) % numReaders;
    }
}
