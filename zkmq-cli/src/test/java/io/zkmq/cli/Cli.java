package io.zkmq.cli;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs the {@code zkmq} command in-process with captured stdout and stderr (and, for produce,
 * stdin).
 */
final class Cli {
    private final List<String> globalArgs;
    private final String connectString;
    private final String namespace;

    private Cli(List<String> globalArgs, String connectString, String namespace) {
        this.globalArgs = globalArgs;
        this.connectString = connectString;
        this.namespace = namespace;
    }

    /** Every command gets {@code --zookeeper} and {@code --namespace}. */
    static Cli against(String connectString, String namespace) {
        return new Cli(
                List.of("--zookeeper", connectString, "--namespace", namespace),
                connectString,
                namespace);
    }

    static Cli bare() {
        return new Cli(List.of(), null, null);
    }

    /** A Java client on the same server and namespace, e.g. for a consumer that stays running. */
    ZkmqClient client() {
        return ZkmqClient.connect(
                ZkmqClientOptions.builder(connectString).namespace(namespace).build());
    }

    String namespace() {
        return namespace;
    }

    Result run(String... args) {
        return runWithInput((InputStream) null, args);
    }

    /** Runs with {@code stdin} as standard input (System.in is swapped for the call). */
    Result runWithInput(String stdin, String... args) {
        return runWithInput(
                stdin == null
                        ? null
                        : new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                args);
    }

    /** Runs with {@code stdin} as standard input, e.g. a pipe the test keeps writing to. */
    synchronized Result runWithInput(InputStream stdin, String... args) {
        List<String> all = new ArrayList<>(globalArgs);
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ZkmqCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        InputStream originalIn = System.in;
        if (stdin != null) {
            System.setIn(stdin);
        }
        try {
            int exitCode = cli.execute(all.toArray(String[]::new));
            return new Result(exitCode, out.toString(), err.toString());
        } finally {
            System.setIn(originalIn);
        }
    }

    record Result(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
        }

        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
