package io.zkmq.client;

import io.zkmq.error.TransactionAbortedException;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.TransactionId;
import io.zkmq.queue.TransactionMarker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.curator.framework.CuratorFramework;
import org.apache.flink.annotation.Internal;

/**
 * Exactly-once transactions of one partition (design section 5). {@link #stage} writes batches as
 * staged znodes under an open marker: durable, invisible to readers. {@link #commit} makes them
 * visible in one {@code multi()}: a reference batch per staged batch (the normal append protocol,
 * so offsets stay dense and concurrent producers are fine), the refs index, the head, a check that
 * every staged znode still exists, and the marker flipped to committed under a version check. A
 * repeated commit finds the marker committed and reports {@link CommitOutcome#ALREADY_COMMITTED}; a
 * commit of an aborted transaction throws {@link TransactionAbortedException}, never succeeds
 * silently. Payload bytes are written once, at staging.
 *
 * <p>The entry point of the transaction operations, each done by a class of its own: {@link
 * TransactionStager}, {@link TransactionCommitter}, {@link TransactionAborter}, {@link
 * TransactionMarkers} (read and list) and {@link SinkRegistry}. Stateless apart from its client:
 * methods are blocking and thread-safe.
 */
@Internal
public final class TransactionStore {
    /**
     * How often {@link #stage} and {@link #stageMore} retry a transient failure unless told
     * otherwise.
     */
    public static final int DEFAULT_STAGE_RETRIES = 10;

    private final SinkRegistry sinks;
    private final TransactionMarkers markers;
    private final TransactionCommitter committer;
    private final TransactionAborter aborter;
    private final TransactionStager stager;

    TransactionStore(CuratorFramework curator, QueueAdmin admin) {
        this.sinks = new SinkRegistry(curator);
        this.markers = new TransactionMarkers(curator, admin, sinks);
        this.committer = new TransactionCommitter(curator, admin, markers);
        this.aborter = new TransactionAborter(curator, committer);
        this.stager = new TransactionStager(curator, markers, sinks, aborter);
    }

    public enum CommitOutcome {
        COMMITTED,
        ALREADY_COMMITTED
    }

    /** A transaction found in ZooKeeper, for listing and operations. */
    public record Listed(String queue, int partition, TransactionMarker marker) {}

    /**
     * Stages {@code batches} of one partition durably and invisibly, under a new attempt, retrying
     * transient failures {@value #DEFAULT_STAGE_RETRIES} times: see {@link #stage(String, int,
     * TransactionId, String, UUID, long, List, int)}.
     */
    public TransactionMarker stage(
            String queue,
            int partition,
            TransactionId id,
            UUID producerId,
            long firstProducerSequence,
            List<SealedBatch> batches) {
        return stage(
                queue,
                partition,
                id,
                newAttempt(),
                producerId,
                firstProducerSequence,
                batches,
                DEFAULT_STAGE_RETRIES);
    }

    /**
     * Stages {@code batches} of one partition durably and invisibly: first the open marker (so an
     * interrupted staging is always found and aborted), then the staged batches. A marker of the
     * same transaction id left by an earlier attempt is replaced: an open one is aborted first; a
     * committed one (a later run reusing the id) is only forgotten, its staged batches stay
     * referenced.
     *
     * <p>Idempotent for the same {@code attempt} and batches: what an earlier try already wrote is
     * read back and, if identical, counted as done; different content there fails as a conflict. So
     * a transient failure (ZooKeeper unreachable, {@link ZkErrors#isTransient}) is retried up to
     * {@code retries} times, one second apart, before it is thrown.
     *
     * @param attempt a fresh {@link #newAttempt()} per staging; a retry of the same staging passes
     *     the same
     */
    public TransactionMarker stage(
            String queue,
            int partition,
            TransactionId id,
            String attempt,
            UUID producerId,
            long firstProducerSequence,
            List<SealedBatch> batches,
            int retries) {
        return stager.stage(
                new QueuePartition(queue, partition),
                id,
                attempt,
                producerId,
                firstProducerSequence,
                batches,
                retries);
    }

    /** A new random attempt id for {@link #stage}. */
    public static String newAttempt() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    /**
     * Stages more batches into an open transaction created by {@link #stage} (a writer that buffers
     * more than it wants to hold in memory between checkpoints), retrying transient failures
     * {@value #DEFAULT_STAGE_RETRIES} times.
     */
    public TransactionMarker stageMore(
            String queue,
            int partition,
            TransactionMarker current,
            UUID producerId,
            long firstProducerSequence,
            List<SealedBatch> batches) {
        return stageMore(
                queue,
                partition,
                current,
                producerId,
                firstProducerSequence,
                batches,
                DEFAULT_STAGE_RETRIES);
    }

    /**
     * Stages more batches into an open transaction created by {@link #stage}. The marker lists the
     * new batches before they are written, so an abort always finds them. Retried like {@link
     * #stage}.
     */
    public TransactionMarker stageMore(
            String queue,
            int partition,
            TransactionMarker current,
            UUID producerId,
            long firstProducerSequence,
            List<SealedBatch> batches,
            int retries) {
        return stager.stageMore(
                new QueuePartition(queue, partition),
                current,
                producerId,
                firstProducerSequence,
                batches,
                retries);
    }

    /**
     * Records that sinks with this prefix stage in this queue, for restores and {@code zkmq txn
     * list --prefix}.
     */
    public void registerSinkQueue(String prefix, String queue) {
        sinks.registerSinkQueue(prefix, queue);
    }

    /**
     * Records how long the sinks with this prefix let a staged transaction stay uncommitted before
     * the maintenance leader aborts it (stored in {@code /sinks/<prefix>}; the latest writer to
     * start wins).
     */
    public void registerSinkTimeout(String prefix, Duration abandonedTimeout) {
        sinks.registerSinkTimeout(prefix, abandonedTimeout);
    }

    /**
     * The abandoned-transaction timeout registered for a prefix, or {@code fallback} if none is.
     */
    public Duration sinkTimeout(String prefix, Duration fallback) {
        return sinks.sinkTimeout(prefix, fallback);
    }

    /** Queues in which sinks with this transactional id prefix have staged transactions. */
    public List<String> sinkQueues(String prefix) {
        return sinks.sinkQueues(prefix);
    }

    /**
     * Makes a staged transaction visible, atomically for the partition. Idempotent: a repeated
     * commit returns {@link CommitOutcome#ALREADY_COMMITTED}, also once the marker has been removed
     * or replaced by a later run (the staged batches of a committed attempt stay until retention;
     * an abort always deletes them).
     *
     * @param attempt the {@link TransactionMarker#attempt()} returned by {@link #stage}
     * @throws TransactionAbortedException if the transaction was aborted: its records are not in
     *     the queue
     */
    public CommitOutcome commit(String queue, int partition, String txn, String attempt) {
        return committer.commit(new QueuePartition(queue, partition), txn, attempt);
    }

    /**
     * Aborts a transaction that is not committed: claims its marker (a version-checked update to
     * ABORTING, so a concurrent commit either wins or fails), deletes its staged batches, then the
     * marker. Finishes an abort that was interrupted. Returns false if there was nothing to abort
     * or the transaction is committed.
     */
    public boolean abort(String queue, int partition, String txn) {
        return aborter.abort(new QueuePartition(queue, partition), txn);
    }

    /** The marker of a transaction, if it exists. */
    public Optional<TransactionMarker> read(String queue, int partition, String txn) {
        return markers.read(new QueuePartition(queue, partition), txn);
    }

    /** Every transaction marker of the queue (open and committed), by partition then name. */
    public List<Listed> list(String queue) {
        return markers.list(queue);
    }

    /**
     * Every transaction marker of sinks using {@code prefix}, in every queue they staged in. Queues
     * deleted since are skipped.
     */
    public List<Listed> listByPrefix(String prefix) {
        return markers.listByPrefix(prefix);
    }
}
