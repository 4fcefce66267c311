package io.zkmq.cli;

import io.zkmq.error.ZkmqTimeoutException;

import java.util.concurrent.TimeUnit;

/**
 * Counts records sent, acknowledged and failed by {@code produce}, and keeps the first failure
 * with its input line. Updated from the producer's callback threads.
 */
final class ProduceOutcome {
    private long sent;
    private long succeeded;
    private long failed;
    private long firstFailedLine;
    private Throwable firstError;

    synchronized void sending() {
        sent++;
    }

    synchronized void completed(long line, Throwable error) {
        if (error == null) {
            succeeded++;
        } else {
            failed++;
            if (firstError == null) {
                firstError = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                firstFailedLine = line;
            }
        }
        notifyAll();
    }

    /** Waits until every sent record completed; after a successful flush this returns at once. */
    synchronized void awaitAcknowledgements() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (succeeded + failed < sent) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ZkmqTimeoutException((sent - succeeded - failed) + " of " + sent
                            + " records were still unacknowledged 30 s after the producer's flush");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkmqTimeoutException("Interrupted while waiting for acknowledgements");
        }
    }

    synchronized long sent() {
        return sent;
    }

    synchronized long succeeded() {
        return succeeded;
    }

    synchronized long failed() {
        return failed;
    }

    synchronized long firstFailedLine() {
        return firstFailedLine;
    }

    synchronized Throwable firstError() {
        return firstError;
    }
}
