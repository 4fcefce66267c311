package io.zkmq.coordination;

import io.zkmq.queue.Position;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.annotation.Internal;

/**
 * The exactly-one-reader leases of one owner in one consumer group: the one implementation of the
 * protocol (design section 4) that both the Java consumer and the Flink source reader use. It names
 * no Curator or ZooKeeper type, so callers can be tested against a plain-Java fake.
 *
 * <ul>
 *   <li>{@link #acquire}: takes a partition's lease (owner + epoch); while another owner holds it,
 *       waits up to the lease timeout, then reports an {@code OwnershipTimeoutException} naming the
 *       holder. An earlier lease of the same owner id (a restarted task) is taken over at once.
 *   <li>{@link #commit}: stores a position fenced by the lease's epoch; a commit after another
 *       owner took the partition over fails with {@code FencedException}.
 *   <li>{@link #release}: gives the lease up, after commits already requested.
 * </ul>
 *
 * <p><b>Lost session, one policy.</b> While the connection is suspended, {@link #paused()} is true:
 * the caller stops emitting, as its leases may be gone. When the session expires, ZooKeeper has
 * dropped the leases: each listener hears {@link LeaseListener#lost}, and once a new session is up
 * the service takes every lost lease back in place (same owner id, next epoch) and reports {@link
 * LeaseListener#regained}; then {@link #paused()} turns false. The caller resumes from its own
 * position, not from the committed offset: nobody else read the partition meanwhile (another owner
 * would have had to take it, and then the take-back waits for that owner and times out).
 *
 * <p>Listener callbacks run on the service's own thread, one at a time; all methods are thread-safe
 * and never block on ZooKeeper (except {@link #awaitResumed}, which only waits).
 */
@Internal
public interface LeaseService extends AutoCloseable {

    String group();

    String ownerId();

    /** Starts taking the lease of a partition; the outcome goes to {@code listener}. */
    void acquire(String queue, int partition, LeaseListener listener);

    /** The token of the lease if this owner holds it now (not while waiting or taking it back). */
    Optional<OwnershipToken> token(String queue, int partition);

    /**
     * Commits a position fenced by the held lease. Completes with {@code true} once stored, with
     * {@code false} if the lease is not held at the moment (released, or lost and not taken back
     * yet: nothing was written), or exceptionally: {@code FencedException} if another owner took
     * the partition over (the lease is dropped), another {@code ZkmqException} on a ZooKeeper
     * error.
     */
    CompletableFuture<Boolean> commit(
            String queue, int partition, Position position, long checkpointId);

    /** Gives the lease up (or stops waiting for it); runs after commits requested before. */
    CompletableFuture<Void> release(String queue, int partition);

    /** Whether emitting must stop: the connection is suspended or a lost lease is not back yet. */
    boolean paused();

    /** Waits up to {@code timeout} for {@link #paused()} to turn false. */
    void awaitResumed(Duration timeout) throws InterruptedException;

    /** Releases every lease (bounded wait) and stops the service's thread. */
    @Override
    void close();
}
