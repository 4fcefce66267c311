package io.zkmq.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Futures and timestamps of the records of one batch. */
final class OpenRecords {
    private final List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
    private long[] timestamps = new long[64];
    private long reservedBytes;

    void add(CompletableFuture<RecordMetadata> future, long timestamp, int reserved) {
        if (futures.size() == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, timestamps.length * 2);
        }
        timestamps[futures.size()] = timestamp;
        futures.add(future);
        reservedBytes += reserved;
    }

    long reservedBytes() {
        return reservedBytes;
    }

    void complete(String queue, int partition, long baseOffset) {
        for (int i = 0; i < futures.size(); i++) {
            futures.get(i)
                    .complete(new RecordMetadata(queue, partition, baseOffset + i, timestamps[i]));
        }
    }

    void fail(Throwable error) {
        futures.forEach(f -> f.completeExceptionally(error));
    }
}
