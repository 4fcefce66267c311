package io.zkmq.testing;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.StartingPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads what a queue holds with the plain client, as tests check a job's output. */
public final class QueueContents {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private QueueContents() {}

    /**
     * Every partition from earliest, until at least {@code expected} records arrived (or fails
     * after 30 s) and then up to each partition's head, so that records beyond the expected ones
     * show up too.
     */
    public static List<QueueRecord> readAll(
            ZkmqClient client, String queue, int partitions, int expected) {
        Map<Integer, StartingPosition> all = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            all.put(p, StartingPosition.earliest());
        }
        return read(client, queue, all, expected);
    }

    /** One partition from earliest, as {@link #readAll}. */
    public static List<QueueRecord> readPartition(
            ZkmqClient client, String queue, int partition, int expected) {
        return read(client, queue, Map.of(partition, StartingPosition.earliest()), expected);
    }

    private static List<QueueRecord> read(
            ZkmqClient client,
            String queue,
            Map<Integer, StartingPosition> assignment,
            int expected) {
        List<QueueRecord> out = new ArrayList<>();
        try (ZkmqConsumer consumer = client.consumer(queue, ConsumerOptions.builder().build())) {
            consumer.assign(assignment);
            Deadline.await(
                    expected + " records of " + queue + " partitions " + assignment.keySet(),
                    TIMEOUT,
                    () -> {
                        out.addAll(consumer.poll(Duration.ofMillis(100)));
                        return out.size() >= expected;
                    });
            Map<Integer, Long> heads = new HashMap<>();
            assignment
                    .keySet()
                    .forEach(p -> heads.put(p, client.admin().readHead(queue, p).nextOffset()));
            Deadline.await(
                    "the rest of " + queue + " up to the heads " + heads,
                    TIMEOUT,
                    () -> {
                        if (heads.entrySet().stream()
                                .allMatch(
                                        h ->
                                                consumer.positions().get(h.getKey()).offset()
                                                        >= h.getValue())) {
                            return true;
                        }
                        out.addAll(consumer.poll(Duration.ofMillis(100)));
                        return false;
                    });
        }
        return out;
    }
}
