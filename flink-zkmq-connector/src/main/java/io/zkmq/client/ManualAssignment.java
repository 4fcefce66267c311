package io.zkmq.client;

import io.zkmq.queue.StartingPosition;
import java.util.Map;
import java.util.TreeMap;

/** Choosing partitions and positions by hand: assign (manual mode) and seek (either mode). */
final class ManualAssignment {
    private final ZkmqClient client;
    private final String queue;
    private final PartitionReads reads;

    ManualAssignment(ZkmqClient client, String queue, PartitionReads reads) {
        this.client = client;
        this.queue = queue;
        this.reads = reads;
    }

    void assign(Map<Integer, StartingPosition> starts) {
        int partitions = partitions();
        for (Map.Entry<Integer, StartingPosition> e : starts.entrySet()) {
            int p = e.getKey();
            if (p < 0 || p >= partitions) {
                throw new IllegalArgumentException(
                        "Queue '"
                                + queue
                                + "' has partitions 0.."
                                + (partitions - 1)
                                + ", not "
                                + p);
            }
            reads.startFetching(p, reads.resolve(p, e.getValue()));
        }
    }

    void assignAll(StartingPosition start) {
        Map<Integer, StartingPosition> all = new TreeMap<>();
        for (int p = 0; p < partitions(); p++) {
            all.put(p, start);
        }
        assign(all);
    }

    void seek(int partition, StartingPosition start) {
        if (!reads.reads(partition)) {
            throw new IllegalStateException(
                    "Queue '"
                            + queue
                            + "' partition "
                            + partition
                            + " is not read by this consumer");
        }
        reads.startFetching(partition, reads.resolve(partition, start));
    }

    private int partitions() {
        return client.currentConfig(queue).config().partitions();
    }
}
