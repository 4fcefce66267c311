package io.zkmq.bench;

import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.ZkmqSource;
import io.zkmq.source.enumerator.ZkmqEnumState;
import io.zkmq.source.split.ZkmqSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up of the source's split enumerator at scale: {@value #SPLITS} splits ({@value #QUEUES}
 * queues of {@value #PARTITIONS_EACH} partitions) and {@value #READERS} readers registering one by
 * one, as a job with that parallelism starts. The figure is the wall time from creating the
 * enumerator to the last reader's registration handled, on the calling thread (the coordinator
 * thread in a job), with a cold JIT like a real start-up.
 *
 * <p>The splits come from an enumerator checkpoint taken before any reader registered, so the
 * enumerator is not started and ZooKeeper is not contacted: this measures the assignment work
 * alone, not partition discovery.
 */
final class EnumeratorStartupScenario implements Scenario {

    private static final Logger LOG = LoggerFactory.getLogger(EnumeratorStartupScenario.class);

    static final int QUEUES = 100;
    static final int PARTITIONS_EACH = 100;
    static final int SPLITS = QUEUES * PARTITIONS_EACH;
    static final int READERS = 1000;

    @Override
    public String name() {
        return "enumerator_startup";
    }

    @Override
    public List<Result> run(ScenarioContext context) throws Exception {
        ZkmqSource<String> source =
                ZkmqSource.<String>builder()
                        .setProperties(
                                Map.of(
                                        "zookeeper",
                                        context.connectString(),
                                        "queues",
                                        "queue-0",
                                        "group",
                                        "bench"))
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();
        List<ZkmqSplit> splits = new ArrayList<>(SPLITS);
        for (int q = 0; q < QUEUES; q++) {
            for (int p = 0; p < PARTITIONS_EACH; p++) {
                splits.add(
                        ZkmqSplit.unread(
                                new QueuePartition("queue-" + q, p),
                                StartingPosition.earliest(),
                                ZkmqSplit.NO_STOP));
            }
        }
        ZkmqEnumState beforeAnyReader =
                new ZkmqEnumState(new TreeMap<>(), new TreeSet<>(), splits, new TreeSet<>(), true);
        EnumeratorContext enumeratorContext = new EnumeratorContext(READERS);

        long start = System.nanoTime();
        try (SplitEnumerator<ZkmqSplit, ZkmqEnumState> enumerator =
                source.restoreEnumerator(enumeratorContext, beforeAnyReader)) {
            for (int reader = 0; reader < READERS; reader++) {
                enumeratorContext.register(reader);
                enumerator.addReader(reader);
            }
        }
        double millis = (System.nanoTime() - start) / 1e6;

        check(enumeratorContext.assignedByReader());
        LOG.info(
                String.format(
                        Locale.ROOT,
                        "Assigned %d splits to %d readers in %.0f ms",
                        SPLITS,
                        READERS,
                        millis));
        return List.of(new Result("enumerator_startup_ms_10k_1k", millis, "ms"));
    }

    /** Every reader holds floor or ceil of splits/readers, and all splits are out. */
    private static void check(Map<Integer, Integer> assignedByReader) {
        int total = assignedByReader.values().stream().mapToInt(Integer::intValue).sum();
        int low = SPLITS / READERS;
        int high = (SPLITS + READERS - 1) / READERS;
        boolean balanced =
                assignedByReader.size() == READERS
                        && assignedByReader.values().stream().allMatch(n -> n >= low && n <= high);
        if (total != SPLITS || !balanced) {
            throw new IllegalStateException(
                    "The enumerator assigned "
                            + total
                            + " of "
                            + SPLITS
                            + " splits to "
                            + assignedByReader.size()
                            + " of "
                            + READERS
                            + " readers, expected "
                            + low
                            + ".."
                            + high
                            + " each: "
                            + new TreeMap<>(assignedByReader));
        }
    }
}
