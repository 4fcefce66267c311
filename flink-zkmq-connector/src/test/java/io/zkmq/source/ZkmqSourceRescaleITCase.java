package io.zkmq.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rescaling 2 -> 3 -> 1 through savepoints: nothing lost, nothing read twice, every reader holds
 * floor or ceil of splits/readers, and only the minimum number of splits changes reader.
 */
class ZkmqSourceRescaleITCase {
    private static final String QUEUE = "rescale";
    private static final int PARTITIONS = 6;

    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir Path savepoints;

    private final String ns = ZooKeeperExtension.freshNamespace();

    @Test
    void rescalingThroughSavepointsLosesAndDuplicatesNothingAndMovesTheMinimum() throws Exception {
        ZkmqClient client = ZK.client(ns);
        SourceTesting.createQueue(client, QUEUE, PARTITIONS);
        List<String> written = new ArrayList<>();

        written.addAll(SourceTesting.produceToEachPartition(client, QUEUE, "s1", PARTITIONS, 100));
        Stage one = runStage(2, null, written.size());
        assertBalanced(one.ownerByPartition, 2);

        written.addAll(SourceTesting.produceToEachPartition(client, QUEUE, "s2", PARTITIONS, 100));
        Stage two = runStage(3, one.savepoint, 600);
        assertBalanced(two.ownerByPartition, 3);
        assertThat(moves(one.ownerByPartition, two.ownerByPartition))
                .as("2 -> 3 readers moves floor(6/3)")
                .isEqualTo(2);

        written.addAll(SourceTesting.produceToEachPartition(client, QUEUE, "s3", PARTITIONS, 100));
        Stage three = runStage(1, two.savepoint, 600);
        assertBalanced(three.ownerByPartition, 1);
        long notOnReader0 = two.ownerByPartition.values().stream().filter(r -> r != 0).count();
        assertThat(moves(two.ownerByPartition, three.ownerByPartition))
                .as("3 -> 1 moves only what reader 0 did not hold")
                .isEqualTo(notOnReader0);

        List<String> read = new ArrayList<>();
        for (Stage s : List.of(one, two, three)) {
            read.addAll(s.values);
        }
        assertThat(read).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
    }

    private record Stage(
            String savepoint, List<String> values, Map<Integer, Integer> ownerByPartition) {}

    private Stage runStage(int parallelism, String restoreFrom, int expectNew) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(500);
        String key = "rescale-" + UUID.randomUUID();
        ZkmqSource<String> source =
                ZkmqSource.<String>builder()
                        .setZookeeper(ZK.connectString())
                        .setNamespace(ns)
                        .setQueues(QUEUE)
                        .setGroup("g")
                        .setStartingPosition(StartingPosition.earliest())
                        .setDeserializer(new RecordDescribingSchema())
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "zkmq")
                .uid("zkmq-source")
                .sinkTo(new CollectingSink(key))
                .uid("collect");
        JobClient job = env.executeAsync("rescale-" + parallelism);
        Deadline.await(
                expectNew + " records at parallelism " + parallelism,
                Duration.ofSeconds(90),
                () -> CollectingSink.results(key).size() >= expectNew);
        String savepoint =
                job.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(90, TimeUnit.SECONDS);
        List<String> results = CollectingSink.results(key);
        Map<Integer, Integer> owners = new TreeMap<>();
        List<String> values = new ArrayList<>();
        for (String r : results) {
            int subtask = Integer.parseInt(r.substring(0, r.indexOf('|')));
            String[] parts = r.substring(r.indexOf('|') + 1).split("/");
            int partition = Integer.parseInt(parts[1]);
            Integer previous = owners.put(partition, subtask);
            assertThat(previous == null || previous == subtask)
                    .as("partition %s read by one reader", partition)
                    .isTrue();
            values.add(parts[3]);
        }
        assertThat(owners)
                .as("every partition was read at parallelism %s", parallelism)
                .hasSize(PARTITIONS);
        return new Stage(savepoint, values, owners);
    }

    private static void assertBalanced(Map<Integer, Integer> ownerByPartition, int readers) {
        Map<Integer, Integer> count = new TreeMap<>();
        ownerByPartition.values().forEach(r -> count.merge(r, 1, Integer::sum));
        assertThat(count).hasSize(readers);
        assertThat(count.values())
                .allSatisfy(
                        c ->
                                assertThat(c)
                                        .isBetween(
                                                PARTITIONS / readers,
                                                (PARTITIONS + readers - 1) / readers));
    }

    private static long moves(Map<Integer, Integer> before, Map<Integer, Integer> after) {
        return after.entrySet().stream()
                .filter(e -> !e.getValue().equals(before.get(e.getKey())))
                .count();
    }
}
