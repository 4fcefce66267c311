package io.zkmq.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.coordination.FakeLeaseService;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.ZkmqRecordDeserializationSchema;
import io.zkmq.source.ZkmqSource;
import io.zkmq.source.split.ZkmqSplit;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source reader's checkpoint commits, against {@link FakeLeaseService}: a position goes to the
 * lease only once its checkpoint completed, and closing the reader gives the lease up. Records come
 * from a real ZooKeeper server.
 */
class ZkmqSourceReaderLeaseTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @Test
    void aCompletedCheckpointCommitsTheReadPositionThroughTheLeaseAndCloseReleasesIt()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient admin = ZK.client(ns);
        admin.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
        try (ZkmqProducer producer = admin.producer("q")) {
            for (int i = 0; i < 10; i++) {
                producer.send(0, Record.of("k", "v" + i));
            }
            producer.flush();
        }
        ZkmqSource<String> source =
                ZkmqSource.<String>builder()
                        .setZookeeper(ZK.connectString())
                        .setNamespace(ns)
                        .setQueues("q")
                        .setGroup("g")
                        .setValueOnlyDeserializer(new SimpleStringSchema())
                        .build();
        FakeLeaseService leases = new FakeLeaseService("g", "reader-0", Duration.ofSeconds(10));
        ZkmqSourceReader<String> reader =
                ZkmqSourceReader.create(
                        source.config(),
                        ZkmqRecordDeserializationSchema.valueOnly(new SimpleStringSchema()),
                        new TestingReaderContext(),
                        ZK.client(ns),
                        leases,
                        null);
        reader.start();
        reader.addSplits(
                List.of(
                        ZkmqSplit.unread(
                                new QueuePartition("q", 0),
                                StartingPosition.earliest(),
                                ZkmqSplit.NO_STOP)));

        TestingReaderOutput<String> output = new TestingReaderOutput<>();
        Deadline.await(
                "the 10 records",
                Duration.ofSeconds(10),
                () -> {
                    try {
                        reader.pollNext(output);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return output.getEmittedRecords().size() == 10;
                });
        assertThat(reader.snapshotState(1))
                .singleElement()
                .satisfies(
                        s ->
                                assertThat(s.position())
                                        .hasValueSatisfying(
                                                p -> assertThat(p.offset()).isEqualTo(10)));
        assertThat(leases.commits())
                .as("nothing committed before the checkpoint completes")
                .isEmpty();

        reader.notifyCheckpointComplete(1);
        Deadline.await(
                "the commit of checkpoint 1",
                Duration.ofSeconds(10),
                () -> !leases.commits().isEmpty());
        assertThat(leases.commits())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.queue()).isEqualTo("q");
                            assertThat(c.position().offset()).isEqualTo(10);
                            assertThat(c.checkpointId()).isEqualTo(1);
                        });

        reader.close();
        assertThat(leases.holder("q", 0)).as("the lease is given up on close").isEmpty();
    }
}
