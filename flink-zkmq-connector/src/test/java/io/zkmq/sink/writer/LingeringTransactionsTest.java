package io.zkmq.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.error.TransactionAbortedException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.sink.Transactions;
import io.zkmq.testing.ZooKeeperExtension;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an exactly-once writer aborts when it starts: its prefix's open transactions newer than the
 * restored checkpoint, of its own subtask and of the subtasks that map onto it after a rescale;
 * nothing committed, nothing of the restored checkpoint, nothing of another prefix.
 */
class LingeringTransactionsTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private ZkmqClient client;
    private TransactionStore store;

    @BeforeEach
    void setUp() {
        client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("out", QueueConfig.builder().partitions(2).build());
        store = client.transactions();
    }

    private List<String> open() {
        return store.listByPrefix("p").stream()
                .filter(l -> !l.marker().committed())
                .map(l -> l.marker().id().name())
                .sorted()
                .toList();
    }

    @Test
    void onRestoreAbortsOnlyItsOwnOpenTransactionsNewerThanTheRestoredCheckpoint() {
        Transactions.stage(
                client,
                "out",
                0,
                "p-0-3",
                "in-checkpoint-",
                2); // in the restored checkpoint: committer's
        Transactions.stage(client, "out", 0, "p-0-5", "after-", 2);
        Transactions.stage(client, "out", 1, "p-0-6", "after-", 2);
        Transactions.stage(client, "out", 0, "p-1-6", "other-subtask-", 2);
        TransactionMarker committed =
                Transactions.stage(client, "out", 1, "p-0-7", "committed-", 2);
        store.commit("out", 1, "p-0-7", committed.attempt());
        Transactions.stage(client, "out", 0, "other-0-9", "other-prefix-", 2);

        int aborted = LingeringTransactions.abort(store, Set.of("p"), 0, 2, OptionalLong.of(4));

        assertThat(aborted).isEqualTo(2);
        assertThat(open()).containsExactly("p-0-3", "p-1-6");
        assertThat(store.read("out", 1, "p-0-7"))
                .get()
                .extracting(TransactionMarker::committed)
                .isEqualTo(true);
        assertThat(store.listByPrefix("other")).hasSize(1);
    }

    @Test
    void afterAScaleDownFromFourToTwoTheOrphansOfSubtasksTwoAndThreeAreAbortedToo() {
        for (int subtask = 0; subtask < 4; subtask++) {
            Transactions.stage(
                    client, "out", subtask % 2, "p-" + subtask + "-11", "s" + subtask + "-", 3);
        }

        int bySubtask0 = LingeringTransactions.abort(store, Set.of("p"), 0, 2, OptionalLong.of(10));
        assertThat(open()).containsExactly("p-1-11", "p-3-11");
        int bySubtask1 = LingeringTransactions.abort(store, Set.of("p"), 1, 2, OptionalLong.of(10));

        assertThat(bySubtask0).isEqualTo(2);
        assertThat(bySubtask1).isEqualTo(2);
        assertThat(open()).isEmpty();
        assertThat(client.admin().readHead("out", 0).nextOffset()).isZero();
        assertThat(client.admin().readHead("out", 1).nextOffset()).isZero();
    }

    @Test
    void aFreshStartWithoutCheckpointAbortsEveryOpenTransactionOfItsSubtasks() {
        Transactions.stage(client, "out", 0, "p-0-1", "x", 1);
        Transactions.stage(client, "out", 1, "p-0-2", "x", 1);

        assertThat(LingeringTransactions.abort(store, Set.of("p"), 0, 1, OptionalLong.empty()))
                .isEqualTo(2);
        assertThat(open()).isEmpty();
    }

    @Test
    void aZombieWritersLateStagingIsNeverMadeVisible() {
        // The new attempt restored checkpoint 8 and aborted what was lingering; then the old
        // attempt,
        // still alive somewhere, stages the transaction it was working on.
        LingeringTransactions.abort(store, Set.of("p"), 0, 1, OptionalLong.of(8));
        TransactionMarker zombie = Transactions.stage(client, "out", 0, "p-0-9", "zombie-", 5);
        // The new attempt's own transaction of that number replaces it and is committed by its
        // checkpoint.
        TransactionMarker own = Transactions.stage(client, "out", 0, "p-0-9", "own-", 5);
        store.commit("out", 0, "p-0-9", own.attempt());

        assertThatThrownBy(() -> store.commit("out", 0, "p-0-9", zombie.attempt()))
                .isInstanceOf(TransactionAbortedException.class);
        assertThat(client.admin().readHead("out", 0).nextOffset()).isEqualTo(5);
        // A zombie transaction under a number the new attempt never reuses is aborted by the next
        // restore.
        Transactions.stage(client, "out", 1, "p-0-12", "zombie-", 5);
        assertThat(LingeringTransactions.abort(store, Set.of("p"), 0, 1, OptionalLong.of(11)))
                .isEqualTo(1);
        assertThat(client.admin().readHead("out", 1).nextOffset()).isZero();
    }
}
