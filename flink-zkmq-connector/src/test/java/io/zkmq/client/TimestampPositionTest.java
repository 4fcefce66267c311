package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.queue.Position;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A timestamp start position finds the first record at or after the time, across many batches. */
class TimestampPositionTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final String NS = ZooKeeperExtension.freshNamespace();
    private static ZkmqClient client;

    @BeforeAll
    static void fill() throws Exception {
        client = ZK.client(NS);
        // Small batches so the 2,000 records span many batch znodes.
        client.admin()
                .createQueue("ts", QueueConfig.builder().partitions(1).maxBatchBytes(2048).build());
        try (ZkmqProducer producer = client.producer("ts")) {
            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                // Timestamps 10_000, 10_005, ... : record i has timestamp 10_000 + 5 i.
                acks.add(
                        producer.send(
                                0,
                                new Record(
                                        null,
                                        ("v" + i).getBytes(StandardCharsets.UTF_8),
                                        List.of(),
                                        10_000 + 5L * i)));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get();
        }
        assertThat(client.admin().readHead("ts", 0).nextSeq())
                .as("spans many batches")
                .isGreaterThan(10);
    }

    private static long offsetAt(long timestamp) {
        Position p = client.admin().resolvePosition("ts", 0, StartingPosition.timestamp(timestamp));
        return p.offset();
    }

    @Test
    void resolvesPerPartitionOffsetsAndRefusesCommittedNamingThePartition() {
        StartingPosition offsets =
                StartingPosition.offsets(
                        Map.of(new QueuePartition("ts", 0), 7L), StartingPosition.earliest());
        assertThat(client.admin().resolvePosition("ts", 0, offsets).offset()).isEqualTo(7);

        assertThatThrownBy(
                        () ->
                                client.admin()
                                        .resolvePosition(
                                                "ts",
                                                0,
                                                StartingPosition.committed(
                                                        StartingPosition.earliest())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue 'ts' partition 0");
    }

    @Test
    void findsTheFirstRecordAtOrAfterTheTimestamp() {
        assertThat(offsetAt(10_000)).isEqualTo(0);
        assertThat(offsetAt(10_005)).isEqualTo(1);
        assertThat(offsetAt(10_006)).isEqualTo(2);
        assertThat(offsetAt(15_000)).isEqualTo(1_000);
        assertThat(offsetAt(19_995)).isEqualTo(1_999);
    }

    @Test
    void beforeEverythingIsTheStartAndAfterEverythingIsTheHead() {
        assertThat(offsetAt(0)).isEqualTo(0);
        assertThat(offsetAt(19_996)).isEqualTo(2_000);
    }

    @Test
    void theResolvedBatchReallyHoldsTheOffset() {
        Position p = client.admin().resolvePosition("ts", 0, StartingPosition.timestamp(13_333));
        try (ZkmqConsumer consumer = client.consumer("ts", ConsumerOptions.builder().build())) {
            consumer.assign(java.util.Map.of(0, StartingPosition.offset(p.offset())));
            var records = consumer.poll(java.time.Duration.ofSeconds(5));
            assertThat(records).isNotEmpty();
            assertThat(records.get(0).timestamp()).isGreaterThanOrEqualTo(13_333);
            assertThat(records.get(0).offset()).isEqualTo(p.offset());
            assertThat(p.offset()).isEqualTo(667); // 10_000 + 5 * 667 = 13_335
        }
    }
}
