package io.zkmq.cli;

import io.zkmq.error.DeliveryOutcomeUnknownException;
import io.zkmq.error.ZkmqTimeoutException;
import java.io.PrintWriter;
import java.util.BitSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * What {@code produce} knows about each input line: acknowledged, definitely not written, or with
 * an unknown outcome (may be stored), kept per line number so the report can say exactly what to
 * resend. Also keeps the first failure with its line. Updated from the producer's callback threads.
 */
final class ProduceOutcome {
    private final BitSet acknowledged = new BitSet();
    private final BitSet notWritten = new BitSet();
    private final BitSet unknown = new BitSet();
    private long sent;
    private long succeeded;
    private long failed;
    private long firstFailedLine;
    private Throwable firstError;

    synchronized void sending() {
        sent++;
    }

    synchronized void completed(long line, Throwable error) {
        int index = (int) line; // produce refuses input beyond Integer.MAX_VALUE lines
        if (error == null) {
            succeeded++;
            acknowledged.set(index);
        } else {
            failed++;
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null
                            ? error.getCause()
                            : error;
            (cause instanceof DeliveryOutcomeUnknownException ? unknown : notWritten).set(index);
            if (firstError == null) {
                firstError = cause;
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
                    throw new ZkmqTimeoutException(
                            (sent - succeeded - failed)
                                    + " of "
                                    + sent
                                    + " records were still unacknowledged 30 s after the producer's flush");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkmqTimeoutException("Interrupted while waiting for acknowledgements");
        }
    }

    /**
     * Three lines naming the input lines: acknowledged in order (a prefix of the input, so a rerun
     * can start after it), not written (safe to resend), outcome unknown (may be stored). Lines
     * after the prefix that are in neither list were acknowledged.
     */
    synchronized void report(PrintWriter err) {
        int inOrder = acknowledged.nextClearBit(1) - 1;
        BitSet prefix = new BitSet();
        prefix.set(1, inOrder + 1);
        err.println("Acknowledged in order: " + ranges(prefix));
        err.println("Not written (safe to resend): " + ranges(notWritten));
        err.println("Outcome unknown (may be stored; resending may duplicate): " + ranges(unknown));
    }

    /** "line 3", "lines 3-7, 9, 12-13", or "none". */
    static String ranges(BitSet lines) {
        if (lines.isEmpty()) {
            return "none";
        }
        if (lines.cardinality() == 1) {
            return "line " + lines.nextSetBit(0);
        }
        StringBuilder out = new StringBuilder("lines ");
        for (int from = lines.nextSetBit(0); from >= 0; from = lines.nextSetBit(from)) {
            int to = lines.nextClearBit(from) - 1;
            if (out.length() > "lines ".length()) {
                out.append(", ");
            }
            out.append(from);
            if (to > from) {
                out.append('-').append(to);
            }
            from = to + 1;
        }
        return out.toString();
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

    synchronized long unknown() {
        return unknown.cardinality();
    }

    synchronized long firstFailedLine() {
        return firstFailedLine;
    }

    synchronized Throwable firstError() {
        return firstError;
    }
}
