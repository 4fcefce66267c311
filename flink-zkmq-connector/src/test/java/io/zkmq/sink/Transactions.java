package io.zkmq.sink;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.Record;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Test helper: stages a transaction of small records, as an exactly-once writer would. */
public final class Transactions {
    private Transactions() {}

    public static TransactionMarker stage(
            ZkmqClient client,
            String queue,
            int partition,
            String txn,
            String valuePrefix,
            int records) {
        List<SealedBatch> batches = new ArrayList<>();
        BatchBuilder builder = new BatchBuilder(256, 256);
        for (int i = 0; i < records; i++) {
            Record record =
                    new Record(
                            null,
                            (valuePrefix + i).getBytes(StandardCharsets.UTF_8),
                            List.of(),
                            1_000 + i);
            if (!builder.tryAppend(record)) {
                batches.add(builder.seal());
                builder = new BatchBuilder(256, 256);
                builder.tryAppend(record);
            }
        }
        batches.add(builder.seal());
        return client.transactions()
                .stage(queue, partition, TransactionId.parse(txn), UUID.randomUUID(), 0, batches);
    }
}
