package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.TransactionStore.CommitOutcome;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.BatchBuilder;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ExactlyOnceData;
import io.zkmq.testing.QueueContents;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Staging an exactly-once transaction is idempotent per attempt, so transient ZooKeeper failures
 * are retried.
 */
class TransactionStagingRetryTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final String QUEUE = "txq";
    private ZkmqClient client;
    private TransactionStore store;

    @BeforeEach
    void setUp() {
        client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin()
                .createQueue(
                        QUEUE, QueueConfig.builder().partitions(1).maxBatchBytes(1024).build());
        store = client.transactions();
    }

    @Test
    void aRetriedStagingWhoseFirstTryLandedIsRecognisedAndCommitsOnce() throws Exception {
        TransactionId id = TransactionId.parse("sink-0-52");
        String attempt = TransactionStore.newAttempt();
        UUID producer = UUID.randomUUID();
        List<SealedBatch> batches = ExactlyOnceData.smallBatches("x", 30);
        TransactionMarker first = store.stage(QUEUE, 0, id, attempt, producer, 0, batches, 0);
        String markerPath = ZkmqPaths.transaction(QUEUE, 0, id.name());
        Stat before = client.curator().checkExists().forPath(markerPath);

        // The same staging again, as a retry after a connection loss that hid the first try's
        // success.
        TransactionMarker second = store.stage(QUEUE, 0, id, attempt, producer, 0, batches, 0);

        assertThat(second.sameStagingAs(first)).isTrue();
        Stat after = client.curator().checkExists().forPath(markerPath);
        assertThat(after.getCzxid())
                .as("the marker was kept, not re-created")
                .isEqualTo(before.getCzxid());
        assertThat(after.getVersion()).isEqualTo(before.getVersion());
        assertThat(store.commit(QUEUE, 0, id.name(), attempt)).isEqualTo(CommitOutcome.COMMITTED);
        assertThat(client.admin().readHead(QUEUE, 0).nextOffset()).isEqualTo(30);
        assertThat(QueueContents.readPartition(client, QUEUE, 0, 30))
                .extracting(this::value)
                .containsExactlyElementsOf(names("x", 30));
    }

    @Test
    void aRetriedStageMoreWhoseFirstTryLandedIsRecognised() {
        TransactionId id = TransactionId.parse("sink-0-53");
        UUID producer = UUID.randomUUID();
        TransactionMarker first =
                store.stage(
                        QUEUE,
                        0,
                        id,
                        TransactionStore.newAttempt(),
                        producer,
                        0,
                        ExactlyOnceData.smallBatches("a", 10),
                        0);
        List<SealedBatch> more = ExactlyOnceData.smallBatches("b", 10);
        TransactionMarker extended = store.stageMore(QUEUE, 0, first, producer, 100, more, 0);

        TransactionMarker again = store.stageMore(QUEUE, 0, first, producer, 100, more, 0);

        assertThat(again.sameStagingAs(extended)).isTrue();
        assertThat(store.commit(QUEUE, 0, id.name(), first.attempt()))
                .isEqualTo(CommitOutcome.COMMITTED);
        List<String> expected = new ArrayList<>(names("a", 10));
        expected.addAll(names("b", 10));
        assertThat(QueueContents.readPartition(client, QUEUE, 0, 20))
                .extracting(this::value)
                .containsExactlyElementsOf(expected);
    }

    @Test
    void anOutageWhileBatchesAreStagedShorterThanTheRetryBudgetIsRiddenOut() throws Exception {
        AtomicBoolean lost = new AtomicBoolean();
        client.curator()
                .getConnectionStateListenable()
                .addListener(
                        (c, state) -> {
                            if (state == ConnectionState.LOST) {
                                lost.set(true);
                            }
                        });
        ZkmqClient observer = ZK.client(client.options().namespace());
        // About 30 MB: the staged batches take a while to write, so the outage hits them in flight.
        List<SealedBatch> batches = largeBatches(300, 100 * 1024);
        CompletableFuture<TransactionMarker> staging =
                CompletableFuture.supplyAsync(
                        () ->
                                store.stage(
                                        QUEUE,
                                        0,
                                        TransactionId.parse("sink-0-54"),
                                        UUID.randomUUID(),
                                        0,
                                        batches));
        Deadline.await(
                "the marker is created",
                Duration.ofSeconds(30),
                () -> observer.transactions().read(QUEUE, 0, "sink-0-54").isPresent());
        ZK.server().stop();
        try {
            // Down until the client gave its session up: longer than the connection timeout after
            // which
            // a pending ZooKeeper request fails.
            Deadline.await("the client loses its session", Duration.ofSeconds(60), lost::get);
            if (staging.isCompletedExceptionally()) {
                staging.join(); // fails the test with the staging's error
            }
            assertThat(staging)
                    .as("the outage began while the batches were being staged")
                    .isNotDone();
        } finally {
            ZK.server().restart();
        }

        TransactionMarker marker = staging.get(120, TimeUnit.SECONDS);

        assertThat(store.commit(QUEUE, 0, "sink-0-54", marker.attempt()))
                .isEqualTo(CommitOutcome.COMMITTED);
        assertThat(client.admin().readHead(QUEUE, 0).nextOffset()).isEqualTo(300);
    }

    @Test
    void aMarkerOfTheSameAttemptWithOtherContentIsAConflictNamingIt() throws Exception {
        TransactionId id = TransactionId.parse("sink-0-55");
        String attempt = TransactionStore.newAttempt();
        String markerPath = ZkmqPaths.transaction(QUEUE, 0, id.name());
        TransactionMarker other = TransactionMarker.open(id, attempt, 1L, List.of());
        client.curator().create().creatingParentsIfNeeded().forPath(markerPath, other.toJson());

        assertThatThrownBy(
                        () ->
                                store.stage(
                                        QUEUE,
                                        0,
                                        id,
                                        attempt,
                                        UUID.randomUUID(),
                                        0,
                                        ExactlyOnceData.smallBatches("c", 5),
                                        3))
                .isInstanceOf(ZkmqException.class)
                .hasMessageContaining("Transaction marker " + markerPath + " of attempt " + attempt)
                .hasMessageContaining("already exists with different content")
                .hasMessageContaining("prefix 'sink'");
        assertThat(store.read(QUEUE, 0, id.name())).as("left as it was").hasValue(other);
    }

    @Test
    void aStagedBatchOfTheSameAttemptWithOtherContentIsAConflictNamingIt() throws Exception {
        TransactionId id = TransactionId.parse("sink-0-56");
        String attempt = TransactionStore.newAttempt();
        String batchPath = ZkmqPaths.stagedBatch(QUEUE, 0, id.name(), attempt, 0);
        client.curator()
                .create()
                .creatingParentsIfNeeded()
                .forPath(batchPath, "not this".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(
                        () ->
                                store.stage(
                                        QUEUE,
                                        0,
                                        id,
                                        attempt,
                                        UUID.randomUUID(),
                                        0,
                                        ExactlyOnceData.smallBatches("c", 5),
                                        3))
                .isInstanceOf(ZkmqException.class)
                .hasMessageContaining(
                        "Staged batch " + batchPath + " already exists with different content");
    }

    private static List<SealedBatch> largeBatches(int records, int recordBytes) {
        List<SealedBatch> batches = new ArrayList<>();
        BatchBuilder builder = new BatchBuilder(512 * 1024, 512 * 1024);
        for (int i = 0; i < records; i++) {
            Record record = new Record(null, new byte[recordBytes], List.of(), 1_000 + i);
            if (!builder.tryAppend(record)) {
                batches.add(builder.seal());
                builder = new BatchBuilder(512 * 1024, 512 * 1024);
                assertThat(builder.tryAppend(record)).isTrue();
            }
        }
        batches.add(builder.seal());
        return batches;
    }

    private String value(QueueRecord r) {
        return new String(r.value(), StandardCharsets.UTF_8);
    }

    private static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }
}
