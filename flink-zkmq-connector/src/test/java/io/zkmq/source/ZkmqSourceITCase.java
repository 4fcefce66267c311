package io.zkmq.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.ZooKeeperExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The source in real Flink jobs on a MiniCluster against a real ZooKeeper server. */
class ZkmqSourceITCase {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @Test
    void boundedJobReadsEveryRecordOfEveryPartitionOnceAndFinishes() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        SourceTesting.createQueue(client, "orders", 4);
        List<String> written = SourceTesting.produce(client, "orders", "o", 5_000, 50);

        ZkmqSource<String> source =
                ZkmqSource.<String>builder()
                        .setZookeeper(ZK.connectString())
                        .setNamespace(ns)
                        .setQueues("orders")
                        .setGroup("billing")
                        .setStartingPosition(StartingPosition.earliest())
                        .setBounded(StoppingPosition.latest())
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<String> read = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders")
                        .executeAndCollect()) {
            it.forEachRemaining(read::add);
        }
        assertThat(read).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void aFinishedBoundedJobHasCommittedItsFinalOffsetsAndReleasedItsLocks() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        SourceTesting.createQueue(client, "ledger", 3);
        SourceTesting.produce(client, "ledger", "l", 3_000, 30);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.fromSource(
                        ZkmqSource.<String>builder()
                                .setZookeeper(ZK.connectString())
                                .setNamespace(ns)
                                .setQueues("ledger")
                                .setGroup("auditors")
                                .setStartingPosition(StartingPosition.earliest())
                                .setBounded(StoppingPosition.latest())
                                .setValueOnlyDeserializer(new SimpleStringSchema())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "ledger")
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        env.execute();

        // A second run from the committed offsets would read nothing: the group is at every
        // partition's end.
        assertThat(client.admin().describeGroup("ledger", "auditors"))
                .allSatisfy(
                        p -> {
                            assertThat(p.committedOffset()).hasValue(p.headOffset());
                            assertThat(p.owner()).as("lock released").isEmpty();
                        });
    }
}
