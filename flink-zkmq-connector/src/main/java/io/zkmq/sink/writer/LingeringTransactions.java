package io.zkmq.sink.writer;

import io.zkmq.client.TransactionStore;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the transactions an earlier run of an exactly-once sink left open. Each writer takes the
 * transactions of the old subtasks {@code s} with {@code s % parallelism == subtask}, so after a
 * scale-down the transactions of subtasks that no longer exist are aborted too. Transactions of the
 * restored checkpoint or older are left alone: the committer commits those.
 */
final class LingeringTransactions {
    private static final Logger LOG = LoggerFactory.getLogger(LingeringTransactions.class);

    private LingeringTransactions() {}

    /** Returns how many transactions were aborted. */
    static int abort(
            TransactionStore store,
            Set<String> prefixes,
            int subtask,
            int parallelism,
            OptionalLong restoredCheckpoint) {
        int aborted = 0;
        for (String prefix : prefixes) {
            for (TransactionStore.Listed listed : store.listByPrefix(prefix)) {
                TransactionMarker marker = listed.marker();
                TransactionId id = marker.id();
                boolean mine = id.subtask() % parallelism == subtask;
                boolean afterRestoredCheckpoint =
                        restoredCheckpoint.isEmpty()
                                || id.checkpointId() > restoredCheckpoint.getAsLong();
                if (mine
                        && afterRestoredCheckpoint
                        && !marker.committed()
                        && store.abort(listed.queue(), listed.partition(), id.name())) {
                    aborted++;
                    LOG.info(
                            "Aborted lingering transaction {} of queue '{}' partition {} ({} records){}",
                            id,
                            listed.queue(),
                            listed.partition(),
                            marker.records(),
                            restoredCheckpoint.isPresent()
                                    ? " newer than the restored checkpoint "
                                            + restoredCheckpoint.getAsLong()
                                    : " (no checkpoint restored)");
                }
            }
        }
        return aborted;
    }
}
