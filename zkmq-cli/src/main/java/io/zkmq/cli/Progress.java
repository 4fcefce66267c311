package io.zkmq.cli;

import java.io.PrintWriter;

/**
 * A record counter redrawn in place on stderr ({@code \r12,345 records}), at most a few times a
 * second and only when a terminal is attached, so redirected output never sees it.
 */
final class Progress {
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private long lastDraw = System.nanoTime();
    private boolean drawn;

    private Progress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Draws only if the process has a console. */
    static Progress onConsole(PrintWriter err) {
        return new Progress(err, System.console() != null);
    }

    void update(long records) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            drawn = true;
            err.printf("\r%,d records", records);
            err.flush();
        }
    }

    /** Ends the progress line, so the next message starts on a fresh line. */
    void finish() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }
}
