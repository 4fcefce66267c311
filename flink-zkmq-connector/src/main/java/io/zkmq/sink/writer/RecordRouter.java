package io.zkmq.sink.writer;

import io.zkmq.client.ZkmqClient;
import io.zkmq.hashing.KeyRouter;
import io.zkmq.sink.ZkmqSinkRecord;

/**
 * Chooses the partition of a record exactly as the client producer does: the serializer's explicit
 * partition, else jump consistent hash of the key over the queue's current partition count (pushed
 * by its config watch), else round-robin for a null key.
 */
final class RecordRouter {
    private static final KeyRouter KEYS = new KeyRouter();

    private final ZkmqClient client;
    private int roundRobin;

    RecordRouter(ZkmqClient client, int subtask) {
        this.client = client;
        this.roundRobin = subtask; // writers start their round-robin at different partitions
    }

    int partitionCount(String queue) {
        return client.currentConfig(queue).config().partitions();
    }

    int partition(String queue, ZkmqSinkRecord record) {
        if (record.partition() != ZkmqSinkRecord.ROUTE) {
            int partitions = partitionCount(queue);
            if (record.partition() >= partitions) {
                // The watch may not have delivered a just-added partition yet: ask ZooKeeper.
                partitions = client.admin().readConfig(queue).config().partitions();
            }
            if (record.partition() >= partitions) {
                throw new IllegalArgumentException(
                        "Queue '"
                                + queue
                                + "' has partitions 0.."
                                + (partitions - 1)
                                + "; the serializer chose partition "
                                + record.partition());
            }
            return record.partition();
        }
        int partitions = partitionCount(queue);
        byte[] key = record.record().key();
        return key == null
                ? Math.floorMod(roundRobin++, partitions)
                : KEYS.partitionFor(key, partitions);
    }
}
