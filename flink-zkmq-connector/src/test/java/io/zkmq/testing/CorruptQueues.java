package io.zkmq.testing;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import io.zkmq.queue.ZkmqPaths;

/** Queues with a damaged batch, as a faulty writer or a bad disk would leave them. */
public final class CorruptQueues {
    private CorruptQueues() {}

    /**
     * Creates queue {@code queue} (one partition, segments of 10 batches) holding two batches,
     * "first" and "second", and flips a bit in the second so that its CRC32C no longer matches.
     *
     * @return the znode path of the corrupt batch
     */
    public static String withSecondBatchCorrupt(ZkmqClient client, String queue) throws Exception {
        client.admin().createQueue(queue, QueueConfig.builder().segmentBatches(10).build());
        try (ZkmqProducer producer = client.producer(queue)) {
            producer.send(Record.of("k", "first")).join();
            producer.flush();
            producer.send(Record.of("k", "second")).join();
        }
        String path = ZkmqPaths.batch(queue, 0, 1, 10);
        byte[] stored = client.curator().getData().forPath(path);
        stored[stored.length - 1] ^= 0x40;
        client.curator().setData().forPath(path, stored);
        return path;
    }
}
