package io.zkmq.cli;

import java.io.PrintWriter;

/**
 * A record counter redrawn in place on stderr ({@code \r12,345 records}), with what the command
 * waits for, if anything ({@code 0 records, waiting for partitions 0, 1}), at most a few times a
 * second. It draws only when stderr is a terminal and the data does not go to that terminal too (a
 * data line would then continue the progress line), so redirected stderr never sees it. {@link
 * #message} lines are printed either way, on a line of their own.
 */
final class Progress {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private long lastDraw = System.nanoTime();
    private boolean drawn;

    Progress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Draws if stderr is a terminal and {@code dataOnStdout} does not reach the same terminal. */
    static Progress onStderr(PrintWriter err, boolean dataOnStdout) {
        return new Progress(err, Terminal.stderr() && !(dataOnStdout && Terminal.stdout()));
    }

    void update(long records) {
        update(records, null);
    }

    /** Redraws the counter and, if not null, what the command waits for. */
    void update(long records, String waitingFor) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            drawn = true;
            String count = Plural.grouped(records, "record");
            err.print("\r\033[K" + (waitingFor == null ? count : count + ", " + waitingFor));
            err.flush();
        }
    }

    /** Prints a line on stderr, not mixed into the progress line. */
    void message(String line) {
        clear();
        err.println(line);
        err.flush();
    }

    /** Ends the progress line, so the next message starts on a fresh line. */
    void finish() {
        clear();
    }

    private void clear() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }
}
