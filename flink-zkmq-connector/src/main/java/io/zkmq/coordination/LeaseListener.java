package io.zkmq.coordination;

import io.zkmq.error.ZkmqException;
import io.zkmq.queue.CommittedPosition;
import java.util.Optional;
import org.apache.flink.annotation.Internal;

/**
 * What happens to one lease asked for with {@link LeaseService#acquire}. Called on the service's
 * thread.
 */
@Internal
public interface LeaseListener {

    /**
     * The lease is held. {@code committed} is the group's committed position in the partition, if
     * any. May do blocking work (e.g. resolve a start position); if it throws, the take is retried
     * until the lease timeout.
     */
    void acquired(OwnershipToken token, Optional<CommittedPosition> committed) throws Exception;

    /**
     * The lease could not be taken or kept; it is no longer held or wanted. {@code error} is an
     * {@code OwnershipTimeoutException} naming the holder, or {@code QueueNotFoundException} when
     * the queue or group is gone.
     */
    void failed(ZkmqException error);

    /**
     * The lease went with an expired session; {@link LeaseService#paused()} is true until it is
     * back.
     */
    default void lost(String queue, int partition) {}

    /**
     * The lease lost with a session is held again, under {@code token}: resume from your own
     * position.
     */
    default void regained(OwnershipToken token) {}

    /** Another owner holds the partition and this one waits; for metrics and logs. */
    default void waiting(String holder, long millisSinceLastCall) {}

    /** The wait is over (taken or failed); for metrics. */
    default void doneWaiting(long millisSinceLastCall) {}
}
