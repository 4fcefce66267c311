package io.zkmq.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The benchmark program: runs the selected {@link Scenario}s one after the other against one
 * ZooKeeper server and prints what they measured.
 *
 * <p>Without {@code --zookeeper} it starts its own server in a separate JVM ({@link
 * ZooKeeperProcess}) and stops it at the end.
 */
@Command(
        name = "zkmq-benchmark",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Measures ZooKeeper's write ceiling and the baseline queue recipes that ZKMQ is compared with.")
public final class ZkmqBenchmark implements Callable<Integer> {

    /**
     * Largest znode the workloads write. ZooKeeper's jute.maxbuffer (1 MiB by default) caps a whole
     * request, path and ACL included, and a request over it drops the connection instead of failing
     * cleanly.
     */
    static final int MAX_ZNODE_BYTES = 1_000_000;

    @Option(
            names = "--zookeeper",
            paramLabel = "HOST:PORT",
            description =
                    "ZooKeeper connect string. Default: start a throw-away standalone server (fsync on, "
                            + "4 GB heap) in a separate JVM on a free loopback port.")
    private String zookeeper;

    @Option(
            names = "--duration-per-scenario",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description =
                    "How long each measured phase of a scenario runs, e.g. 500ms, 10s, 2m. "
                            + "Default: ${DEFAULT-VALUE}.")
    private Duration duration;

    @Option(
            names = "--scenarios",
            paramLabel = "NAME",
            split = ",",
            completionCandidates = ScenarioNames.class,
            description =
                    "Comma-separated scenarios to run, from: ${COMPLETION-CANDIDATES} (flink_sink writes "
                            + "with the Flink sink, at-least-once and exactly-once). Default: all.")
    private List<String> scenarioNames;

    @Option(
            names = "--record-size",
            paramLabel = "BYTES",
            defaultValue = "100",
            description =
                    "Bytes per record (per znode in the one-record-per-znode workloads). "
                            + "Default: ${DEFAULT-VALUE}.")
    private int recordSize;

    @Option(
            names = "--batch-bytes",
            paramLabel = "BYTES",
            defaultValue = "262144",
            description =
                    "Bytes per znode in the large-znode workloads. Default: ${DEFAULT-VALUE}.")
    private int batchBytes;

    @Option(
            names = "--flink-records",
            paramLabel = "COUNT",
            defaultValue = "" + ScenarioContext.DEFAULT_FLINK_RECORDS,
            description =
                    "Records the flink_source scenario writes to its queue and then reads with a Flink job; "
                            + "records each flink_sink job generates and writes. Default: ${DEFAULT-VALUE}.")
    private long flinkRecords;

    @Option(
            names = "--flink-parallelism",
            paramLabel = "N",
            defaultValue = "" + ScenarioContext.DEFAULT_FLINK_PARALLELISM,
            description =
                    "Parallelism of the Flink jobs of flink_source (source readers over 4 partitions) and "
                            + "flink_sink (sink writers into 4 partitions). Default: ${DEFAULT-VALUE}.")
    private int flinkParallelism;

    @Option(
            names = "--tiered-duration",
            paramLabel = "DURATION",
            defaultValue = "2m",
            converter = DurationConverter.class,
            description =
                    "How long the tiered scenario produces before it reads the whole history back. "
                            + "Default: ${DEFAULT-VALUE}.")
    private Duration tieredDuration;

    @Spec private CommandSpec spec;

    public static void main(String[] args) {
        int exitCode = new CommandLine(new ZkmqBenchmark()).execute(args);
        // Returning normally on success keeps `mvn exec:java` (which runs main inside Maven's JVM)
        // alive to finish.
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    @Override
    public Integer call() throws Exception {
        List<Scenario> scenarios = selectScenarios();
        validateSizes();
        PrintStream out = System.out;
        if (zookeeper != null) {
            return run(scenarios, zookeeper, out);
        }
        out.println("Starting a ZooKeeper server in a separate JVM ...");
        try (ZooKeeperProcess server = ZooKeeperProcess.start()) {
            out.println(
                    "ZooKeeper is serving on "
                            + server.connectString()
                            + " (data in "
                            + server.dataDirectory()
                            + ")");
            return run(scenarios, server.connectString(), out);
        }
    }

    private int run(List<Scenario> scenarios, String connectString, PrintStream out)
            throws InterruptedException {
        ScenarioContext context =
                new ScenarioContext(
                        connectString,
                        duration,
                        recordSize,
                        batchBytes,
                        flinkRecords,
                        flinkParallelism,
                        tieredDuration);
        out.printf(
                "ZooKeeper %s, %s per phase, record size %d B, batch %d B%n",
                connectString, duration, recordSize, batchBytes);
        List<ScenarioRunner.Outcome> outcomes = new ScenarioRunner(out).runAll(scenarios, context);
        ResultReport.print(outcomes, out);
        return outcomes.stream().anyMatch(ScenarioRunner.Outcome::failed) ? 1 : 0;
    }

    private List<Scenario> selectScenarios() {
        if (scenarioNames == null || scenarioNames.isEmpty()) {
            return Scenarios.all();
        }
        try {
            return Scenarios.select(scenarioNames);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void validateSizes() {
        if (duration.isNegative() || duration.isZero()) {
            throw new ParameterException(
                    spec.commandLine(), "--duration-per-scenario must be positive");
        }
        if (tieredDuration.isNegative() || tieredDuration.isZero()) {
            throw new ParameterException(spec.commandLine(), "--tiered-duration must be positive");
        }
        checkZnodeSize("--record-size", recordSize);
        checkZnodeSize("--batch-bytes", batchBytes);
        if (flinkRecords <= 0) {
            throw new ParameterException(
                    spec.commandLine(), "--flink-records must be positive, got " + flinkRecords);
        }
        if (flinkParallelism <= 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--flink-parallelism must be positive, got " + flinkParallelism);
        }
    }

    private void checkZnodeSize(String option, int bytes) {
        if (bytes <= 0 || bytes > MAX_ZNODE_BYTES) {
            throw new ParameterException(
                    spec.commandLine(),
                    option
                            + " must be between 1 and "
                            + MAX_ZNODE_BYTES
                            + " bytes, got "
                            + bytes
                            + ": ZooKeeper's jute.maxbuffer (1 MiB) caps one request");
        }
    }

    /** The registered scenario names, for the help text. */
    static final class ScenarioNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Scenarios.all().stream().map(Scenario::name).iterator();
        }
    }
}
