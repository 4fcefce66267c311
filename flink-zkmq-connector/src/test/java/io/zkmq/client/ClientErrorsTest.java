package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.AccessDeniedException;
import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.error.QueueExistsException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.RecordTooLargeException;
import io.zkmq.error.ZooKeeperUnavailableException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.CorruptQueues;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClientErrorsTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @Test
    void missingQueueIsReportedByNameForAdminProducerAndConsumer() {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        assertThatThrownBy(() -> client.admin().describeQueue("nope"))
                .isInstanceOf(QueueNotFoundException.class)
                .hasMessageContaining("Queue 'nope' does not exist");
        assertThatThrownBy(() -> client.producer("nope"))
                .isInstanceOf(QueueNotFoundException.class)
                .hasMessageContaining("'nope'");
        assertThatThrownBy(
                        () -> client.consumer("nope", ConsumerOptions.builder().group("g").build()))
                .isInstanceOf(QueueNotFoundException.class)
                .hasMessageContaining("'nope'");
        assertThatThrownBy(() -> client.admin().deleteQueue("nope"))
                .isInstanceOf(QueueNotFoundException.class);
        client.admin().createQueue("exists", QueueConfig.builder().build());
        assertThatThrownBy(() -> client.admin().describeGroup("exists", "nobody"))
                .isInstanceOf(io.zkmq.error.GroupNotFoundException.class)
                .hasMessageContaining("Group 'nobody'");
    }

    @Test
    void creatingAQueueTwiceFailsAndInvalidNamesAndConfigsAreRejected() {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("q", QueueConfig.builder().build());
        assertThatThrownBy(() -> client.admin().createQueue("q", QueueConfig.builder().build()))
                .isInstanceOf(QueueExistsException.class);
        assertThatThrownBy(
                        () -> client.admin().createQueue("bad/name", QueueConfig.builder().build()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("Invalid queue name 'bad/name'");
        assertThatThrownBy(() -> client.admin().addPartitions("q", 0))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("partitions must be between");
        client.admin().addPartitions("q", 3);
        assertThatThrownBy(() -> client.admin().addPartitions("q", 2))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("never removed");
    }

    @Test
    void oversizedRecordIsRejectedAtSendAndNothingIsWritten() {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("q", QueueConfig.builder().maxBatchBytes(4096).build());
        try (ZkmqProducer producer = client.producer("q")) {
            assertThatThrownBy(() -> producer.send(Record.of(null, new byte[5000])))
                    .isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("queue 'q'")
                    .hasMessageContaining("maxBatchBytes 4096");
            producer.send(Record.of(null, new byte[3000])).join();
        }
        assertThat(client.admin().describeQueue("q").totalRecords()).isEqualTo(1);
    }

    @Test
    void corruptBatchIsRaisedByTheConsumerNeverSkipped() throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        String path = CorruptQueues.withSecondBatchCorrupt(client, "q");
        try (ZkmqConsumer consumer = client.consumer("q", ConsumerOptions.builder().build())) {
            consumer.assignAll(StartingPosition.earliest());
            assertThat(consumer.poll(Duration.ofSeconds(5)))
                    .extracting(r -> r.valueAsString())
                    .containsExactly("first");
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5)))
                    .isInstanceOf(CorruptBatchException.class)
                    .hasMessageContaining("CRC32C mismatch")
                    .hasMessageContaining(path);
            // Raised again on every poll: the consumer never moves past it.
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5)))
                    .isInstanceOf(CorruptBatchException.class);
            // The position did not move past the corrupt batch.
            assertThat(consumer.positions()).containsEntry(0, new io.zkmq.queue.Position(1, 1));
        }
    }

    @Test
    void unreachableZooKeeperFailsWithinTheConnectionTimeout() {
        int closedPort = InstanceSpec.getRandomPort();
        long start = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                ZkmqClient.connect(
                                        ZkmqClientOptions.builder("127.0.0.1:" + closedPort)
                                                .connectionTimeout(Duration.ofSeconds(2))
                                                .build()))
                .isInstanceOf(ZooKeeperUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("within 2000 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("well under the 15 s default")
                .isLessThan(Duration.ofSeconds(12));
    }

    @Test
    void clientWithoutTheRightCredentialsIsRefused() {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient owner =
                ZK.track(ZkmqClient.connect(ZK.options(ns).digestAuth("alice:secret").build()));
        owner.admin().createQueue("private", QueueConfig.builder().partitions(2).build());
        try (ZkmqProducer producer = owner.producer("private")) {
            producer.send(Record.of("k", "v")).join();
        }
        ZkmqClient anonymous = ZK.client(ns);
        assertThatThrownBy(() -> anonymous.admin().describeQueue("private"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("denied");
        ZkmqClient mallory =
                ZK.track(ZkmqClient.connect(ZK.options(ns).digestAuth("mallory:guess").build()));
        assertThatThrownBy(() -> mallory.producer("private"))
                .isInstanceOf(AccessDeniedException.class);
        // The owner still reads its data.
        try (ZkmqConsumer consumer = owner.consumer("private", ConsumerOptions.builder().build())) {
            consumer.assign(Map.of(0, StartingPosition.earliest(), 1, StartingPosition.earliest()));
            assertThat(consumer.poll(Duration.ofSeconds(5)))
                    .extracting(r -> r.valueAsString())
                    .containsExactly("v");
        }
    }

    @Test
    void deletingAQueueUnderRunningClientsIsReportedAndLeavesNoGhostBehind() {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient admin = ZK.client(ns);
        admin.admin().createQueue("doomed", QueueConfig.builder().partitions(2).build());
        ZkmqClient client = ZK.client(ns);
        ZkmqProducer producer = client.producer("doomed");
        ZkmqConsumer consumer =
                client.consumer("doomed", ConsumerOptions.builder().group("g").build());
        producer.send(Record.of("k", "v")).join();
        io.zkmq.testing.Deadline.await(
                "the consumer reads the record",
                Duration.ofSeconds(10),
                () -> !consumer.poll(Duration.ofMillis(100)).isEmpty());

        admin.admin().deleteQueue("doomed");
        assertThatThrownBy(
                        () -> {
                            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                            while (System.nanoTime() < end) {
                                consumer.poll(Duration.ofMillis(100));
                            }
                        })
                .isInstanceOf(QueueNotFoundException.class)
                .hasMessageContaining("'doomed' was deleted");
        io.zkmq.testing.Deadline.await(
                "the producer learns of the deletion",
                Duration.ofSeconds(10),
                () -> {
                    try {
                        producer.send(Record.of("k", "v2"));
                        return false;
                    } catch (QueueNotFoundException e) {
                        return true;
                    }
                });
        assertThat(admin.admin().listQueues()).doesNotContain("doomed");
        assertThat(admin.admin().queueExists("doomed")).isFalse();
        producer.close();
        consumer.close();
        admin.admin().createQueue("doomed", QueueConfig.builder().partitions(1).build());
        assertThat(admin.admin().describeQueue("doomed").partitions()).hasSize(1);
    }

    @Test
    void addingPartitionsCreatesThemWithTheConfigAndManyAtOnceStillWork() {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("grow", QueueConfig.builder().partitions(1).build());
        io.zkmq.queue.QueueMetadata grown = client.admin().addPartitions("grow", 4);
        assertThat(grown.config().partitions()).isEqualTo(4);
        assertThat(grown.version()).isEqualTo(client.admin().readConfig("grow").version());
        client.admin().addPartitions("grow", 504); // 500 new: more than one transaction holds
        QueueDescription d = client.admin().describeQueue("grow");
        assertThat(d.partitions()).hasSize(504);
        try (ZkmqProducer producer = client.producer("grow")) {
            producer.send(503, Record.of("k", "last")).join();
        }
        assertThat(client.admin().describeQueue("grow").partitions().get(503).headOffset())
                .isEqualTo(1);
    }
}
