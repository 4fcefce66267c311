package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkmq.error.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.annotation.Internal;

/**
 * Data of a transaction marker znode {@code /queues/<q>/partitions/<p>/txn/<id>}: the staged
 * batches of one exactly-once sink transaction in one partition and its state. The marker is
 * written before the staged batches, so an interrupted staging is always found.
 *
 * <p>{@code attempt} is random per staging and part of every staged batch's path: a transaction id
 * reused by a later run (a job restored from an old savepoint reuses checkpoint ids) never collides
 * with the staged batches of the earlier run, and a commit knows whether a marker is its own.
 */
@Internal
public record TransactionMarker(
        TransactionId id,
        String attempt,
        State state,
        long createdAtMillis,
        long committedAtMillis,
        List<StagedBatch> staged,
        int committedBatches) {

    /**
     * OPEN: staged, invisible. COMMITTED: visible. ABORTING: claimed by an abort, never committable
     * again.
     */
    public enum State {
        OPEN,
        COMMITTED,
        ABORTING
    }

    static final PayloadFormat FORMAT = new PayloadFormat("transaction marker", 1, true);

    public TransactionMarker {
        staged = List.copyOf(staged);
        if (committedBatches < 0 || committedBatches > staged.size()) {
            throw new IllegalArgumentException(
                    "Transaction "
                            + id
                            + ": "
                            + committedBatches
                            + " of "
                            + staged.size()
                            + " batches committed");
        }
    }

    /** A marker with no batch committed yet. */
    public TransactionMarker(
            TransactionId id,
            String attempt,
            State state,
            long createdAtMillis,
            long committedAtMillis,
            List<StagedBatch> staged) {
        this(id, attempt, state, createdAtMillis, committedAtMillis, staged, 0);
    }

    public static TransactionMarker open(
            TransactionId id, String attempt, long now, List<StagedBatch> staged) {
        return new TransactionMarker(id, attempt, State.OPEN, now, -1, staged);
    }

    public TransactionMarker committedAt(long now) {
        return new TransactionMarker(
                id, attempt, State.COMMITTED, createdAtMillis, now, staged, staged.size());
    }

    /**
     * A commit too large for one ZooKeeper request goes in several: the first {@code batches} are
     * visible, the rest will be. Such a transaction can no longer be aborted, only finished.
     */
    public TransactionMarker committedUpTo(int batches) {
        return new TransactionMarker(
                id, attempt, State.OPEN, createdAtMillis, committedAtMillis, staged, batches);
    }

    /**
     * The same transaction with more staged batches (staged after the marker was first written).
     */
    public TransactionMarker withMoreStaged(List<StagedBatch> more) {
        List<StagedBatch> all = new ArrayList<>(staged);
        all.addAll(more);
        return new TransactionMarker(
                id, attempt, state, createdAtMillis, committedAtMillis, all, committedBatches);
    }

    public TransactionMarker aborting() {
        return new TransactionMarker(
                id, attempt, State.ABORTING, createdAtMillis, committedAtMillis, staged);
    }

    /**
     * The same staging as {@code other}, whenever each was written: equal in everything but the
     * creation time.
     */
    public boolean sameStagingAs(TransactionMarker other) {
        return id.equals(other.id)
                && attempt.equals(other.attempt)
                && state == other.state
                && committedAtMillis == other.committedAtMillis
                && committedBatches == other.committedBatches
                && staged.equals(other.staged);
    }

    /** Part of it is visible already: finish the commit, never abort it. */
    public boolean partlyCommitted() {
        return state == State.OPEN && committedBatches > 0;
    }

    public boolean committed() {
        return state == State.COMMITTED;
    }

    public int records() {
        return staged.stream().mapToInt(StagedBatch::records).sum();
    }

    public long bytes() {
        return staged.stream().mapToLong(StagedBatch::bytes).sum();
    }

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("transaction", id.name());
        n.put("attempt", attempt);
        n.put("state", state.name());
        n.put("createdAt", createdAtMillis);
        n.put("committedAt", committedAtMillis);
        n.put("committedBatches", committedBatches);
        ArrayNode batches = n.putArray("staged");
        staged.forEach(s -> batches.add(s.toJson()));
        return Json.write(n);
    }

    public static TransactionMarker fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        List<StagedBatch> staged = new ArrayList<>();
        for (JsonNode b : n.path("staged")) {
            staged.add(StagedBatch.fromJson(b, path));
        }
        String state = Json.requireText(n, "state", path);
        State parsed;
        try {
            parsed = State.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(
                    "Transaction marker " + path + " has unknown state '" + state + "'");
        }
        return new TransactionMarker(
                TransactionId.parse(Json.requireText(n, "transaction", path)),
                Json.requireText(n, "attempt", path),
                parsed,
                Json.requireLong(n, "createdAt", path),
                n.path("committedAt").asLong(-1),
                staged,
                parsed == State.COMMITTED ? staged.size() : n.path("committedBatches").asInt(0));
    }
}
