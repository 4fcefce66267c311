package io.zkmq.connector;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.QueueNotFoundException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.ExceptionUtils;

/**
 * Failures that a restart cannot cure: a missing queue (after any configured wait) and a corrupt
 * batch (a restarted job reads the same bytes). They fail the job once instead of restarting it
 * forever. Flink finds {@link SuppressRestartsException} anywhere in the cause chain, so the
 * wrapping Flink adds on the way to the JobMaster (fetcher, task, coordinator) does not hide it.
 */
@Internal
public final class PermanentFailure {
    private PermanentFailure() {}

    /** Whether {@code failure} or one of its causes is a condition a restart cannot cure. */
    public static boolean isPermanent(Throwable failure) {
        return ExceptionUtils.findThrowable(failure, QueueNotFoundException.class).isPresent()
                || ExceptionUtils.findThrowable(failure, CorruptBatchException.class).isPresent();
    }

    /**
     * {@code failure} marked so that Flink fails the job without restarting it; its message stays
     * the root cause.
     */
    public static SuppressRestartsException suppressRestarts(Throwable failure) {
        return new SuppressRestartsException(failure);
    }

    /** {@code failure} as it is, or marked to suppress restarts if it is permanent. */
    public static RuntimeException classify(RuntimeException failure) {
        return isPermanent(failure) ? suppressRestarts(failure) : failure;
    }
}
