package io.zkmq.source.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.coordination.FakeLeaseService;
import io.zkmq.error.FencedException;
import io.zkmq.error.OwnershipTimeoutException;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.split.ZkmqSplit;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The split reader's use of the partition lease, against {@link FakeLeaseService}: the test plays
 * the other owners and the session, so waits, losses and take-overs happen exactly when it says.
 * The records themselves come from a real ZooKeeper server.
 */
class ZkmqSplitReaderLeaseTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private final String ns = ZooKeeperExtension.freshNamespace();
    private final ZkmqClient client = ZK.client(ns);
    private final FakeLeaseService leases =
            new FakeLeaseService("g", "reader-0", Duration.ofMillis(300));
    private final PartitionLocks locks =
            new PartitionLocks(
                    leases,
                    client.admin()::resolvePosition,
                    new ZkmqSourceReaderMetrics(
                            UnregisteredMetricsGroup.createSourceReaderMetricGroup()));
    private final ZkmqSplitReader reader =
            new ZkmqSplitReader(
                    client,
                    locks,
                    ZkmqSplitReader.newProgressMap(),
                    2,
                    false,
                    new ZkmqSourceReaderMetrics(
                            UnregisteredMetricsGroup.createSourceReaderMetricGroup()));

    @AfterEach
    void close() throws Exception {
        reader.close();
        locks.close();
    }

    /** A split that starts at the group's committed offset (else the earliest). */
    private static ZkmqSplit split(String queue) {
        return ZkmqSplit.unread(
                new QueuePartition(queue, 0),
                StartingPosition.committed(StartingPosition.earliest()),
                ZkmqSplit.NO_STOP);
    }

    private void produce(String queue, int from, int to) {
        try (ZkmqProducer producer = client.producer(queue)) {
            for (int i = from; i < to; i++) {
                producer.send(0, Record.of("k", "v" + i));
            }
            producer.flush();
        }
    }

    /** Offsets of the records one fetch returned. */
    private List<Long> fetchOffsets() throws IOException {
        RecordsWithSplitIds<ZkmqSourceRecord> records = reader.fetch();
        List<Long> offsets = new ArrayList<>();
        while (records.nextSplit() != null) {
            ZkmqSourceRecord r;
            while ((r = records.nextRecordFromSplit()) != null) {
                offsets.add(r.record().offset());
            }
        }
        records.recycle();
        return offsets;
    }

    @Test
    void aSplitWhoseLeaseIsHeldElsewhereWaitsThenFailsNamingTheHolder() throws Exception {
        client.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
        produce("q", 0, 5);
        leases.holdElsewhere("q", 0, "other-job");

        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("q"))));
        assertThat(fetchOffsets())
                .as("nothing is read while another owner holds the partition")
                .isEmpty();
        assertThatThrownBy(
                        () ->
                                Deadline.await(
                                        "the wait ends",
                                        Duration.ofSeconds(10),
                                        () -> {
                                            try {
                                                return !fetchOffsets().isEmpty();
                                            } catch (IOException e) {
                                                throw new IllegalStateException(e);
                                            }
                                        }))
                .isInstanceOf(OwnershipTimeoutException.class)
                .hasMessageContaining("held by owner 'other-job'")
                .hasMessageContaining("queue 'q' partition 0")
                .hasMessageContaining("group 'g'");
    }

    @Test
    void aLostLeaseStopsEmittingAndReadingResumesInPlaceOnceItIsBack() throws Exception {
        client.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
        produce("q", 0, 10);
        // Nothing moves the committed offset here: resuming from it instead of in place would read
        // 0..9 again.
        leases.setCommitted("q", 0, new Position(0, 0));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("q"))));
        List<Long> read = new ArrayList<>();
        Deadline.await(
                "the first 10 records",
                Duration.ofSeconds(10),
                () -> {
                    read.addAll(uncheckedFetch());
                    return read.size() == 10;
                });

        leases.loseSession();
        produce("q", 10, 20);
        for (int i = 0; i < 3; i++) {
            assertThat(fetchOffsets()).as("nothing is emitted while the lease is lost").isEmpty();
        }

        leases.newSession();
        Deadline.await(
                "the records written while the lease was lost",
                Duration.ofSeconds(10),
                () -> {
                    read.addAll(uncheckedFetch());
                    return read.size() >= 20;
                });
        assertThat(read).containsExactlyElementsOf(LongStream.range(0, 20).boxed().toList());
        assertThat(leases.holder("q", 0)).contains("reader-0");
    }

    @Test
    void aCommitAfterAnotherOwnerTookThePartitionOverFailsTheReader() throws Exception {
        client.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
        produce("q", 0, 3);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("q"))));
        Deadline.await(
                "the lease is taken",
                Duration.ofSeconds(10),
                () -> leases.token("q", 0).isPresent());

        locks.commit(Map.of(new QueuePartition("q", 0), new Position(1, 3)), 1);
        Deadline.await(
                "the first commit is stored",
                Duration.ofSeconds(10),
                () -> leases.commits().size() == 1);
        leases.takeOver("q", 0, "reader-0-restarted");
        locks.commit(Map.of(new QueuePartition("q", 0), new Position(1, 3)), 2);

        assertThatThrownBy(
                        () ->
                                Deadline.await(
                                        "the reader fails",
                                        Duration.ofSeconds(10),
                                        () -> {
                                            uncheckedFetch();
                                            return false;
                                        }))
                .isInstanceOf(FencedException.class)
                .hasMessageContaining("queue 'q' partition 0")
                .hasMessageContaining("owner 'reader-0-restarted'");
        assertThat(leases.commits())
                .extracting(FakeLeaseService.Commit::checkpointId)
                .containsExactly(1L);
    }

    private List<Long> uncheckedFetch() {
        try {
            return fetchOffsets();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
