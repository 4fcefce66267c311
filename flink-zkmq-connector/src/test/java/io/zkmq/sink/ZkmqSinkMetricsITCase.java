package io.zkmq.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.QueueConfig;
import io.zkmq.testing.JobMetrics;
import io.zkmq.testing.ZooKeeperExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The writer's metrics, read from finished jobs through Flink's in-memory metric reporter. */
class ZkmqSinkMetricsITCase {
    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private final String ns = ZooKeeperExtension.freshNamespace();

    private static long sum(JobID job, String name) {
        return JobMetrics.sum(REPORTER, job, name)
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private JobID run(List<String> values, DeliveryGuarantee guarantee, boolean skip)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(100);
        env.fromData(values)
                .sinkTo(
                        ZkmqSink.<String>builder()
                                .setZookeeper(ZK.connectString())
                                .setNamespace(ns)
                                .setQueue("metered")
                                .setDeliveryGuarantee(guarantee)
                                .setTransactionalIdPrefix("metrics")
                                .setSkipFailedRecords(skip)
                                .setRecordSerializer(
                                        ZkmqRecordSerializationSchema.<String>builder()
                                                .setValueSerializationSchema(
                                                        new SimpleStringSchema())
                                                .build())
                                .build());
        return env.execute().getJobID();
    }

    private long stored(ZkmqClient client) {
        return client.admin().readHead("metered", 0).nextOffset()
                + client.admin().readHead("metered", 1).nextOffset();
    }

    @Test
    void withoutGuaranteeSkippedRecordsAreCountedAsErrorsAndTheRestAsSent() throws Exception {
        ZkmqClient client = ZK.client(ns);
        client.admin()
                .createQueue(
                        "metered", QueueConfig.builder().partitions(2).maxBatchBytes(4096).build());
        List<String> values =
                new ArrayList<>(IntStream.range(0, 100).mapToObj(i -> "v" + i).toList());
        for (int i = 0; i < 5; i++) {
            values.add(i * 20, "x".repeat(5_000)); // larger than a 4 KiB batch
        }

        JobID job = run(values, DeliveryGuarantee.NONE, true);

        assertThat(sum(job, "numRecordsOutErrors")).isEqualTo(5);
        assertThat(sum(job, "numRecordsSend")).isEqualTo(100);
        assertThat(sum(job, "numBytesSend")).isGreaterThan(100 * 3);
        assertThat(stored(client)).isEqualTo(100);
    }

    @Test
    void exactlyOnceCountsStagedRecordsAndReportsTheStagingTime() throws Exception {
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue("metered", QueueConfig.builder().partitions(2).build());

        JobID job =
                run(
                        IntStream.range(0, 300).mapToObj(i -> "v" + i).toList(),
                        DeliveryGuarantee.EXACTLY_ONCE,
                        false);

        assertThat(sum(job, "numRecordsSend")).isEqualTo(300);
        assertThat(sum(job, "numRecordsOutErrors")).isZero();
        assertThat(REPORTER.findMetrics(job, "currentSendTime")).isNotEmpty();
        assertThat(stored(client)).isEqualTo(300);
    }
}
