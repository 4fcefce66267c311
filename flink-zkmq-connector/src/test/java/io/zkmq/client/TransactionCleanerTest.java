package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.TransactionStore.CommitOutcome;
import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.error.TransactionAbortedException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.StagedBatch;
import io.zkmq.queue.StartingPosition;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ExactlyOnceData;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The maintenance leader's clean-up of transaction markers, against a real ZooKeeper and a fake
 * clock.
 */
class TransactionCleanerTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final String QUEUE = "q";
    private static final long DAY = Duration.ofDays(1).toMillis();

    private ZkmqClient client;
    private TransactionStore store;
    private final AtomicLong now = new AtomicLong();
    private TransactionCleaner cleaner;

    @BeforeEach
    void setUp() {
        client =
                ZK.client(
                        ZooKeeperExtension
                                .freshNamespace()); // joins no election: the cleaner runs only when
        // called
        client.admin()
                .createQueue(
                        QUEUE,
                        QueueConfig.builder()
                                .partitions(2)
                                .maxBatchBytes(1024)
                                .segmentBatches(4)
                                .build());
        store = client.transactions();
        now.set(System.currentTimeMillis());
        cleaner = new TransactionCleaner(client.curator(), store, QUEUE, now::get);
    }

    @Test
    void anOpenTransactionOlderThanTheTimeoutIsAbortedAndAYoungerOneIsLeftAlone() throws Exception {
        TransactionMarker old = stage("sink-0-1", 0, "old", 10);
        backdate(0, old, 8 * DAY); // staged eight days ago by a job that never came back
        TransactionMarker young = stage("sink-0-2", 0, "young", 10);
        now.addAndGet(6 * DAY);

        assertThat(cleaner.runOnce()).isEqualTo(new TransactionCleaner.Result(1, 0, 0));

        assertThat(store.read(QUEUE, 0, "sink-0-1")).isEmpty();
        for (StagedBatch s : old.staged()) {
            assertThat(client.curator().checkExists().forPath(s.path())).as(s.path()).isNull();
        }
        assertThatThrownBy(() -> store.commit(QUEUE, 0, "sink-0-1", old.attempt()))
                .isInstanceOf(TransactionAbortedException.class)
                .hasMessageContaining("NOT in the queue");
        assertThat(store.read(QUEUE, 0, "sink-0-2"))
                .get()
                .extracting(TransactionMarker::state)
                .isEqualTo(TransactionMarker.State.OPEN);
        assertThat(client.curator().getChildren().forPath(ZkmqPaths.stagedBatches(QUEUE, 0)))
                .hasSize(young.staged().size());

        assertThat(store.commit(QUEUE, 0, "sink-0-2", young.attempt()))
                .isEqualTo(CommitOutcome.COMMITTED);
        assertThat(ExactlyOnceData.read(client, QUEUE, 0, StartingPosition.earliest(), 10))
                .extracting(ExactlyOnceData::value)
                .containsExactly(values("young", 10));
    }

    @Test
    void anInterruptedAbortIsFinishedOnceItIsAMinuteOld() throws Exception {
        TransactionMarker marker = stage("sink-1-3", 1, "x", 10);
        // An abort that claimed the marker and stopped before deleting anything.
        client.curator()
                .setData()
                .forPath(ZkmqPaths.transaction(QUEUE, 1, "sink-1-3"), marker.aborting().toJson());
        now.set(System.currentTimeMillis());

        assertThat(cleaner.runOnce()).isEqualTo(new TransactionCleaner.Result(0, 0, 0));
        assertThat(store.read(QUEUE, 1, "sink-1-3"))
                .get()
                .extracting(TransactionMarker::state)
                .isEqualTo(TransactionMarker.State.ABORTING);

        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(cleaner.runOnce()).isEqualTo(new TransactionCleaner.Result(0, 1, 0));

        assertThat(store.read(QUEUE, 1, "sink-1-3")).isEmpty();
        assertThat(client.curator().getChildren().forPath(ZkmqPaths.stagedBatches(QUEUE, 1)))
                .isEmpty();
        assertThatThrownBy(() -> store.commit(QUEUE, 1, "sink-1-3", marker.attempt()))
                .isInstanceOf(TransactionAbortedException.class);
        assertThat(client.admin().readHead(QUEUE, 1).nextOffset()).isZero();
    }

    @Test
    void anOldCommittedMarkerIsRemovedAndItsRecordsStayReadableAndCommitted() throws Exception {
        TransactionMarker marker = stage("sink-0-4", 0, "c", 10);
        assertThat(store.commit(QUEUE, 0, "sink-0-4", marker.attempt()))
                .isEqualTo(CommitOutcome.COMMITTED);

        now.addAndGet(Duration.ofMinutes(9).toMillis());
        assertThat(cleaner.runOnce()).isEqualTo(new TransactionCleaner.Result(0, 0, 0));
        assertThat(store.read(QUEUE, 0, "sink-0-4"))
                .get()
                .extracting(TransactionMarker::state)
                .isEqualTo(TransactionMarker.State.COMMITTED);

        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(cleaner.runOnce()).isEqualTo(new TransactionCleaner.Result(0, 0, 1));

        assertThat(store.read(QUEUE, 0, "sink-0-4")).isEmpty();
        assertThat(store.commit(QUEUE, 0, "sink-0-4", marker.attempt()))
                .isEqualTo(CommitOutcome.ALREADY_COMMITTED);
        assertThat(client.admin().readHead(QUEUE, 0).nextOffset()).isEqualTo(10);
        assertThat(ExactlyOnceData.read(client, QUEUE, 0, StartingPosition.earliest(), 10))
                .extracting(ExactlyOnceData::value)
                .containsExactly(values("c", 10));
    }

    @Test
    void theTimeoutRegisteredByEachSinkPrefixIsHonoured() throws Exception {
        store.registerSinkTimeout("fast", Duration.ofHours(1));
        store.registerSinkTimeout("slow", Duration.ofDays(30));
        TransactionMarker fastOpen = stage("fast-0-1", 0, "f", 10);
        TransactionMarker fastCommitted = stage("fast-0-2", 1, "fc", 10);
        store.commit(QUEUE, 1, "fast-0-2", fastCommitted.attempt());
        stage("slow-0-1", 0, "s", 10);
        stage("plain-0-1", 1, "p", 10); // no registered timeout: the 7-day default

        now.addAndGet(Duration.ofHours(2).toMillis());
        assertThat(cleaner.runOnce()).isEqualTo(new TransactionCleaner.Result(1, 0, 1));
        assertThat(store.list(QUEUE))
                .extracting(l -> l.marker().id().name())
                .containsExactly("slow-0-1", "plain-0-1");
        assertThatThrownBy(() -> store.commit(QUEUE, 0, "fast-0-1", fastOpen.attempt()))
                .isInstanceOf(TransactionAbortedException.class);

        now.addAndGet(8 * DAY);
        assertThat(cleaner.runOnce()).isEqualTo(new TransactionCleaner.Result(1, 0, 0));
        assertThat(store.list(QUEUE))
                .extracting(l -> l.marker().id().name())
                .containsExactly("slow-0-1");

        now.addAndGet(30 * DAY);
        assertThat(cleaner.runOnce()).isEqualTo(new TransactionCleaner.Result(1, 0, 0));
        assertThat(store.list(QUEUE)).isEmpty();
        assertThat(client.curator().getChildren().forPath(ZkmqPaths.stagedBatches(QUEUE, 0)))
                .isEmpty();
        // Only the committed transaction's staged batches remain: they hold its records.
        assertThat(client.curator().getChildren().forPath(ZkmqPaths.stagedBatches(QUEUE, 1)))
                .hasSize(fastCommitted.staged().size());
    }

    @Test
    void theElectedMaintenanceLeaderRunsTheCleaner() {
        ZkmqClient leader =
                ZK.track(
                        ZkmqClient.connect(
                                ZK.options(client.options().namespace())
                                        .maintenanceInterval(Duration.ofMillis(100))
                                        .build()));
        store.registerSinkTimeout("short", Duration.ofMillis(1));
        stage("short-0-1", 0, "x", 10);

        leader.joinMaintenance(QUEUE, new MaintenanceLeader.Settings(Duration.ofMillis(100)));

        Deadline.await(
                "the maintenance leader aborts the abandoned transaction",
                Duration.ofSeconds(20),
                () -> store.read(QUEUE, 0, "short-0-1").isEmpty());
        assertThat(leader.isMaintenanceLeader(QUEUE)).isTrue();
    }

    private TransactionMarker stage(String txn, int partition, String valuePrefix, int records) {
        TransactionMarker marker =
                ExactlyOnceData.stage(store, QUEUE, partition, txn, valuePrefix, records);
        assertThat(marker.staged()).as("staged batches of " + txn).hasSizeGreaterThan(1);
        return marker;
    }

    /** Rewrites a marker as if it had been created {@code ago} ms before the fake clock's start. */
    private void backdate(int partition, TransactionMarker marker, long ago) throws Exception {
        TransactionMarker older =
                new TransactionMarker(
                        marker.id(),
                        marker.attempt(),
                        marker.state(),
                        now.get() - ago,
                        marker.committedAtMillis(),
                        marker.staged());
        client.curator()
                .setData()
                .forPath(
                        ZkmqPaths.transaction(QUEUE, partition, marker.id().name()),
                        older.toJson());
    }

    private static String[] values(String prefix, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = prefix + i;
        }
        return out;
    }
}
