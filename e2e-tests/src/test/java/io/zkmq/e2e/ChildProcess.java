package io.zkmq.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A JVM (or any command) started by the tests, with stdout and stderr in one log file so a failure
 * can be diagnosed afterwards. Every process is also ended by a shutdown hook, in case the test JVM
 * exits without running its clean-up.
 */
final class ChildProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int TAIL_CHARS = 6_000;
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> RUNNING.forEach(Process::destroyForcibly),
                                "e2e-child-processes"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(
            String name, List<String> command, Map<String, String> environment, Path log) {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        try {
            Files.writeString(log, "", UTF_8);
            Process process = builder.start();
            RUNNING.add(process);
            return new ChildProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + command, e);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    String output() {
        try {
            return Files.readString(log, UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The end of the log, for failure messages. */
    String tail() {
        String text = output();
        String shown =
                text.length() <= TAIL_CHARS
                        ? text
                        : "..." + text.substring(text.length() - TAIL_CHARS);
        return "--- last output of "
                + name
                + " ("
                + log
                + ") ---\n"
                + shown
                + "\n--- end of "
                + name
                + " ---";
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError(
                        name + " did not exit within " + timeout.toSeconds() + " s\n" + tail());
            }
            RUNNING.remove(process);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new AssertionError("Interrupted while waiting for " + name, e);
        }
    }

    /**
     * SIGKILL (on Linux, {@link Process#destroyForcibly()} is {@code kill -9}); returns the exit
     * code, 137.
     */
    int kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(
                        name
                                + " (pid "
                                + process.pid()
                                + ") survived SIGKILL for "
                                + STOP_TIMEOUT.toSeconds()
                                + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while killing " + name, e);
        }
        RUNNING.remove(process);
        return process.exitValue();
    }

    /** SIGTERM, then SIGKILL if the process is still there after 15 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly()
                            .waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        RUNNING.remove(process);
    }
}
