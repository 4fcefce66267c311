package io.zkmq.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code zkmq} as its own JVM (the test class path, the jar's logging config), for what an
 * in-process run cannot show: the environment, everything the process writes to stderr, and a
 * process that is killed.
 */
final class CliProcess {
    private CliProcess() {}

    /** Starts {@code zkmq args} with {@code env} added to this environment. */
    static Process start(Map<String, String> env, File stdout, File stderr, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ZkmqCli.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("ZKMQ_"));
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(stdout);
        pb.redirectError(stderr);
        return pb.start();
    }

    /** Runs {@code zkmq args} to its end (at most a minute). */
    static Cli.Result run(Map<String, String> env, String... args) throws Exception {
        File out = File.createTempFile("zkmq-out", ".txt");
        File err = File.createTempFile("zkmq-err", ".txt");
        try {
            Process p = start(env, out, err, args);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("zkmq " + String.join(" ", args) + " did not end in 60 s");
            }
            return new Cli.Result(
                    p.exitValue(),
                    Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
            err.delete();
        }
    }
}
