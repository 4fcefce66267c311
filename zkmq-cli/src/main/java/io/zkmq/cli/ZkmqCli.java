package io.zkmq.cli;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The {@code zkmq} command: administers queues and groups, produces and consumes records, lists and
 * aborts exactly-once sink transactions, and runs a local ZooKeeper for development.
 *
 * <p>The connection options are declared here with {@link ScopeType#INHERIT}, so they may be given
 * before or after the subcommand; picocli stores them in this object either way, and subcommands
 * reach them through {@link #of(CommandSpec)}. {@code --zookeeper} is checked when a command
 * connects rather than at parse time, because {@code dev-server} does not need it.
 *
 * <p>Use {@link #newCommandLine()} to get a configured {@link CommandLine} (converters, error
 * handlers); {@link #main} only adds buffered, UTF-8 standard streams and the process exit.
 */
@Command(
        name = "zkmq",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = ZkmqCli.Version.class,
        usageHelpAutoWidth = true,
        description = "Durable partitioned queues stored in Apache ZooKeeper.",
        subcommands = {
            QueueCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            GroupCommand.class,
            TxnCommand.class,
            MaintainCommand.class,
            DevServerCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:The command failed (ZooKeeper unreachable, queue missing, record failed, ...).",
            "2:Invalid command line."
        })
public final class ZkmqCli {

    @Option(
            names = "--zookeeper",
            paramLabel = "HOST:PORT",
            defaultValue = "${env:ZKMQ_ZOOKEEPER}",
            scope = ScopeType.INHERIT,
            description =
                    "ZooKeeper connect string, e.g. zk1:2181,zk2:2181 (required except for dev-server;"
                            + " default: $ZKMQ_ZOOKEEPER).")
    String zookeeper;

    @Option(
            names = "--namespace",
            paramLabel = "NAME",
            defaultValue = "${env:ZKMQ_NAMESPACE:-" + ZkmqClientOptions.DEFAULT_NAMESPACE + "}",
            scope = ScopeType.INHERIT,
            description =
                    "Root znode of all queues (default: $ZKMQ_NAMESPACE, else "
                            + ZkmqClientOptions.DEFAULT_NAMESPACE
                            + "; now ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
            names = "--auth",
            paramLabel = "USER:PASSWORD",
            defaultValue = "${env:ZKMQ_AUTH}",
            scope = ScopeType.INHERIT,
            description =
                    "ZooKeeper digest credentials (default: $ZKMQ_AUTH, or the first line of the file"
                            + " $ZKMQ_AUTH_FILE names; never printed).")
    String auth;

    @Option(
            names = "--connect-timeout",
            paramLabel = "DURATION",
            defaultValue = "15s",
            scope = ScopeType.INHERIT,
            description =
                    "How long to wait for ZooKeeper, e.g. 500ms, 15s, 1m (default: ${DEFAULT-VALUE}); an upper"
                            + " bound, at most 24d.")
    Duration connectTimeout;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description =
                    "Print stack traces of errors, and the client's log messages and warnings.")
    boolean verbose;

    @Option(
            names = "--tier-config",
            paramLabel = "KEY=VALUE",
            scope = ScopeType.INHERIT,
            description =
                    "Flink configuration for the tier's file system, as in a Flink job's configuration, e.g."
                            + " s3.endpoint=http://minio:9000 or s3.access-key=...; repeatable, overrides"
                            + " --tier-config-file.")
    Map<String, String> tierConfig;

    @Option(
            names = "--tier-config-file",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description =
                    "A properties file of such Flink keys (KEY=VALUE lines), e.g. for s3.secret-key.")
    Path tierConfigFile;

    @Option(
            names = "--flink-plugins-dir",
            paramLabel = "DIR",
            defaultValue = "${env:" + TierFileSystemFlags.PLUGINS_ENV + "}",
            scope = ScopeType.INHERIT,
            description =
                    "A Flink plugins directory with the tier's file system, e.g. FLINK_HOME/plugins with"
                            + " s3-fs-hadoop/ in it (default: $"
                            + TierFileSystemFlags.PLUGINS_ENV
                            + ").")
    Path flinkPluginsDir;

    public static void main(String[] args) {
        CommandLine cli = newCommandLine();
        PrintWriter out =
                new PrintWriter(
                        new BufferedWriter(
                                new OutputStreamWriter(
                                        new FileOutputStream(FileDescriptor.out),
                                        StandardCharsets.UTF_8),
                                1 << 16));
        cli.setOut(out);
        cli.setErr(
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        int exitCode = cli.execute(args);
        out.flush();
        System.exit(exitCode);
    }

    /**
     * A command line with the duration, byte-size and start-position converters and one-line error
     * reporting.
     */
    public static CommandLine newCommandLine() {
        ErrorReporter errors = new ErrorReporter();
        return new CommandLine(new ZkmqCli())
                .registerConverter(Duration.class, new DurationConverter())
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors)
                .setExecutionStrategy(
                        parsed -> {
                            if (VerboseLogging.requested(parsed)) {
                                VerboseLogging.enable();
                            }
                            return new CommandLine.RunLast().execute(parsed);
                        });
    }

    /** The root command's options, from any (sub)command's spec. */
    static ZkmqCli of(CommandSpec spec) {
        return (ZkmqCli) spec.root().userObject();
    }

    /**
     * Client options from the global flags; {@code command} is named in the error if {@code
     * --zookeeper} is missing.
     */
    ZkmqClientOptions clientOptions(CommandSpec command) {
        if (zookeeper == null) {
            throw new ParameterException(
                    command.commandLine(),
                    "Missing required option '--zookeeper=HOST:PORT' (where ZooKeeper runs, e.g. --zookeeper localhost:2181,"
                            + " or set ZKMQ_ZOOKEEPER)");
        }
        ConnectString.check(command.commandLine(), zookeeper, command.commandLine().getErr());
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw new ParameterException(
                    command.commandLine(),
                    "Invalid value for option '--connect-timeout': it must be positive, e.g. 15s");
        }
        if (connectTimeout.compareTo(ZkmqClientOptions.MAX_CONNECTION_TIMEOUT) > 0) {
            throw new ParameterException(
                    command.commandLine(),
                    "Invalid value for option '--connect-timeout': "
                            + DurationConverter.format(connectTimeout)
                            + " is longer than the maximum "
                            + DurationConverter.format(ZkmqClientOptions.MAX_CONNECTION_TIMEOUT)
                            + " (ZooKeeper clients count timeouts in int milliseconds)");
        }
        ZkmqClientOptions.Builder builder =
                ZkmqClientOptions.builder(zookeeper)
                        .namespace(namespace)
                        .connectionTimeout(connectTimeout)
                        .digestAuth(auth != null ? auth : AuthFile.fromEnvironment());
        TierFileSystemFlags.applyTo(builder, tierConfigFile, tierConfig, flinkPluginsDir, command);
        if (connectTimeout.compareTo(ZkmqClientOptions.DEFAULT_SESSION_TIMEOUT) > 0) {
            // Curator wants the session to outlive a connection attempt; servers clamp it to their
            // maximum anyway.
            builder.sessionTimeout(
                    connectTimeout.compareTo(ZkmqClientOptions.MAX_SESSION_TIMEOUT) > 0
                            ? ZkmqClientOptions.MAX_SESSION_TIMEOUT
                            : connectTimeout);
        }
        return builder.build();
    }

    /**
     * Connects with the global flags; throws {@code ZooKeeperUnavailableException} after {@code
     * --connect-timeout}.
     */
    ZkmqClient connect(CommandSpec command) {
        return ZkmqClient.connect(clientOptions(command));
    }

    /** Reads {@code Implementation-Version} from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ZkmqCli.class.getPackage().getImplementationVersion();
            return new String[] {"zkmq " + (version == null ? "(development build)" : version)};
        }
    }
}
