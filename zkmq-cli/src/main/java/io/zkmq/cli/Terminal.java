package io.zkmq.cli;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Whether stdout and stderr are terminals. Java 17 cannot ask about one stream ({@code
 * System.console()} needs stdin and stdout to be terminals), so this asks POSIX {@code test -t} in
 * a child shell that inherits both streams, once per run. Where there is no {@code sh} (Windows),
 * it falls back to {@code System.console()}.
 */
final class Terminal {
    private static final int STDERR = 1;
    private static final int STDOUT = 2;
    private static volatile Integer detected;

    private Terminal() {}

    static boolean stderr() {
        return (detect() & STDERR) != 0;
    }

    static boolean stdout() {
        return (detect() & STDOUT) != 0;
    }

    private static int detect() {
        Integer d = detected;
        if (d == null) {
            d = ask();
            detected = d;
        }
        return d;
    }

    private static int ask() {
        try {
            Process p =
                    new ProcessBuilder(
                                    "sh",
                                    "-c",
                                    "r=0; [ -t 2 ] && r=$((r+1)); [ -t 1 ] && r=$((r+2)); exit $r")
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
            if (p.waitFor(5, TimeUnit.SECONDS)) {
                return p.exitValue() & (STDERR | STDOUT);
            }
            p.destroyForcibly();
        } catch (IOException e) {
            // No sh: below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return System.console() != null ? STDERR | STDOUT : 0;
    }
}
