package io.zkmq.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.QueueConfig;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.io.DataInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real scale-down 4 -> 2 of an exactly-once job: transactions the four writers staged after the
 * savepoint (and never committed, because the job was cancelled) are aborted by the two writers of
 * the restored job, the orphans of the removed subtasks 2 and 3 included.
 */
class ZkmqSinkScaleDownITCase {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static final String PREFIX = "scale-down";

    @TempDir Path savepoints;

    @Test
    void afterAScaleDownTheOrphanedTransactionsOfRemovedSubtasksAreAborted() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue("out", QueueConfig.builder().partitions(4).build());

        JobClient four = start(ns, 4, null);
        String savepoint = savepointOnceRunning(four);
        // The savepoint's own transactions are committed once it completes (the committer may still
        // be at it);
        // the orphans are the ones after it. Writers that hold over 1 MiB stage early: wait until
        // every one of
        // the four has an open transaction newer than the savepoint, then cancel the job so that
        // none of them
        // is ever committed.
        long savepointId = checkpointIdOf(savepoint);
        Deadline.await(
                "open transactions newer than the savepoint of all four subtasks",
                Duration.ofSeconds(60),
                () -> openSubtasks(client, savepointId).containsAll(List.of(0, 1, 2, 3)));
        four.cancel().get(60, TimeUnit.SECONDS);
        assertThat(openSubtasks(client, savepointId)).contains(2, 3);

        JobClient two = start(ns, 2, savepoint);
        try {
            Deadline.await(
                    "the orphans of subtasks 2 and 3 aborted",
                    Duration.ofSeconds(60),
                    () ->
                            !openSubtasks(client, savepointId).contains(2)
                                    && !openSubtasks(client, savepointId).contains(3));
        } finally {
            two.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Triggers a savepoint, retrying while the job is still starting (Flink refuses until every
     * task runs).
     */
    private String savepointOnceRunning(JobClient job) {
        String[] path = new String[1];
        Deadline.await(
                "a savepoint of the running job",
                Duration.ofSeconds(60),
                () -> {
                    try {
                        path[0] =
                                job.triggerSavepoint(
                                                savepoints.toUri().toString(),
                                                SavepointFormatType.CANONICAL)
                                        .get(60, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                });
        return path[0];
    }

    private static long checkpointIdOf(String savepoint) throws Exception {
        Path metadata = Path.of(URI.create(savepoint)).resolve("_metadata");
        try (DataInputStream in = new DataInputStream(Files.newInputStream(metadata))) {
            return Checkpoints.loadCheckpointMetadata(
                            in, ZkmqSinkScaleDownITCase.class.getClassLoader(), savepoint)
                    .getCheckpointId();
        }
    }

    /**
     * Subtasks with a transaction that is not committed and belongs to a checkpoint after {@code
     * afterCheckpoint}.
     */
    private static List<Integer> openSubtasks(ZkmqClient client, long afterCheckpoint) {
        return client.transactions().listByPrefix(PREFIX).stream()
                .map(TransactionStore.Listed::marker)
                .filter(m -> !m.committed() && m.id().checkpointId() > afterCheckpoint)
                .map(m -> m.id().subtask())
                .distinct()
                .sorted()
                .toList();
    }

    private static JobClient start(String ns, int parallelism, String savepoint) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(60_000); // only the savepoint: later stagings stay open
        DataGeneratorSource<String> generator =
                new DataGeneratorSource<>(
                        i -> "k" + (i % 50) + ":" + i + ":" + "x".repeat(100),
                        Long.MAX_VALUE,
                        RateLimiterStrategy.perSecond(40_000),
                        Types.STRING);
        env.fromSource(generator, WatermarkStrategy.noWatermarks(), "generator")
                .uid("generator")
                .sinkTo(
                        ZkmqSink.<String>builder()
                                .setZookeeper(ZK.connectString())
                                .setNamespace(ns)
                                .setQueue("out")
                                .setRecordSerializer(
                                        ZkmqRecordSerializationSchema.<String>builder()
                                                .setKeySerializationSchema(
                                                        v ->
                                                                v.substring(0, v.indexOf(':'))
                                                                        .getBytes())
                                                .setValueSerializationSchema(
                                                        new SimpleStringSchema())
                                                .build())
                                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .setTransactionalIdPrefix(PREFIX)
                                .setTransactionMaxBufferedBytes(1024 * 1024)
                                .build())
                .uid("sink");
        return env.executeAsync("scale-down " + parallelism);
    }
}
