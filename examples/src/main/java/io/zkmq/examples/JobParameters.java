package io.zkmq.examples;

import io.zkmq.client.DurationSyntax;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Job parameters of the examples, parsed with picocli before anything starts: {@code --help} prints
 * them; an unknown or malformed parameter is one line on stderr and exit code 2.
 */
final class JobParameters {
    private JobParameters() {}

    /**
     * How to reach ZooKeeper. Without {@code --zookeeper}, jobs that allow it start an embedded
     * server.
     */
    static final class Connection {
        @Option(
                names = "--zookeeper",
                paramLabel = "HOST:PORT",
                description = "ZooKeeper connect string, e.g. zk1:2181,zk2:2181.")
        String zookeeper;

        @Option(
                names = "--namespace",
                paramLabel = "NAME",
                defaultValue = "zkmq",
                description = "Root znode of the queues (default: ${DEFAULT-VALUE}).")
        String namespace;
    }

    /** How the Flink job runs. */
    static final class Flink {
        @Option(
                names = "--parallelism",
                paramLabel = "N",
                defaultValue = "2",
                description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(
                names = "--checkpoint-interval",
                paramLabel = "DURATION",
                defaultValue = "1s",
                converter = DurationConverter.class,
                description =
                        "Checkpoint interval, e.g. 500ms, 10s, 1min (default: ${DEFAULT-VALUE}).")
        Duration checkpointInterval;
    }

    /** The CLI's duration syntax ("500ms", "10s", "1m" or "1min", "2h", "7d"). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                Duration d = DurationSyntax.parse(value);
                if (d.isNegative() || d.isZero()) {
                    throw new CommandLine.TypeConversionException(
                            "must be positive, got '" + value + "'");
                }
                return d;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Parses {@code args} into {@code command}. Returns it, or empty after printing help (exit 0)
     * or a one-line error (exit 2) to the given streams; {@link #exitCode} says which.
     */
    static <T> Optional<T> parse(
            T command, String[] args, PrintStream out, PrintStream err, int[] exitCode) {
        CommandLine cl = new CommandLine(command);
        try {
            CommandLine.ParseResult result = cl.parseArgs(args);
            if (result.isUsageHelpRequested()) {
                cl.usage(out);
                exitCode[0] = 0;
                return Optional.empty();
            }
            if (result.isVersionHelpRequested()) {
                String version = JobParameters.class.getPackage().getImplementationVersion();
                out.println(
                        cl.getCommandName()
                                + " "
                                + (version != null ? version : "(development build)"));
                exitCode[0] = 0;
                return Optional.empty();
            }
            if (command instanceof Validated v) {
                v.validate();
            }
            return Optional.of(command);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            err.println(cl.getCommandName() + ": " + e.getMessage() + " (see --help)");
            exitCode[0] = 2;
            return Optional.empty();
        }
    }

    /** For {@code main}: parses, or prints help / the error and exits. */
    static <T> T parseOrExit(T command, String[] args) {
        int[] code = {0};
        Optional<T> parsed = parse(command, args, System.out, System.err, code);
        if (parsed.isEmpty()) {
            System.exit(code[0]);
        }
        return parsed.get();
    }

    /**
     * Checks that go across parameters; throws IllegalArgumentException with a one-line message.
     */
    interface Validated {
        void validate();
    }
}
