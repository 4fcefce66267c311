package io.zkmq.client;

import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an idempotent ZooKeeper step again after a transient failure, a bounded number of times. */
final class TransientRetry {
    private static final Logger LOG = LoggerFactory.getLogger(TransientRetry.class);

    /**
     * Pause between staging retries: the delay Flink's committer leaves between retries of a
     * commit.
     */
    static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private TransientRetry() {}

    /**
     * Runs {@code step} again after a transient failure ({@link ZkErrors#isTransient}), at most
     * {@code retries} times, {@link #RETRY_DELAY} apart; every step is idempotent.
     */
    static <T> T withRetries(String what, int retries, Callable<T> step) {
        for (int retry = 0; ; retry++) {
            ZkmqException failure;
            try {
                return step.call();
            } catch (Exception e) {
                failure = ZkErrors.translate(e, what);
            }
            if (!ZkErrors.isTransient(failure) || retry >= retries) {
                if (retry > 0) {
                    failure.addSuppressed(
                            new ZkmqException("Gave up after " + retry + " retries of " + what));
                }
                throw failure;
            }
            LOG.warn(
                    "{} failed ({}); retrying in {} (retry {} of {})",
                    what,
                    failure.getMessage(),
                    RETRY_DELAY,
                    retry + 1,
                    retries);
            try {
                Thread.sleep(RETRY_DELAY.toMillis());
            } catch (InterruptedException e) {
                throw ZkErrors.translate(e, what);
            }
        }
    }
}
