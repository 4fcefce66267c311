package io.zkmq.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A standalone Flink session cluster of separate JVMs, started the way Flink's {@code bin/} scripts
 * start one but from jars that Maven resolved (the file {@code target/flink-classpath.txt} plays
 * the part of a distribution's {@code lib/}):
 *
 * <ul>
 *   <li>a {@code conf/config.yaml} with free ports, loopback addresses and small memory sizes;
 *   <li>JVM options and memory settings computed by {@code BashJavaUtils} from that configuration,
 *       as {@code jobmanager.sh} and {@code taskmanager.sh} do;
 *   <li>the JobManager: {@code StandaloneSessionClusterEntrypoint --configDir conf};
 *   <li>TaskManagers: {@code TaskManagerRunner --configDir conf}, which can be killed and replaced;
 *   <li>{@code flink run}: {@code CliFrontend run ...} with {@code FLINK_CONF_DIR=conf}, as {@code
 *       bin/flink} does;
 *   <li>job state, restarts and cancellation through the REST API.
 * </ul>
 */
final class FlinkSessionCluster implements AutoCloseable {
    static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String CLIENT_MAIN = "org.apache.flink.client.cli.CliFrontend";
    static final String MEMORY_CALCULATOR_MAIN = "org.apache.flink.runtime.util.bash.BashJavaUtils";

    /**
     * What Flink's distribution passes to every JVM on Java 17 (env.java.opts.all of its default
     * config.yaml).
     */
    static final List<String> JAVA_17_OPTIONS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration REST_TIMEOUT = Duration.ofSeconds(10);
    private static final String MEMORY_RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Pattern SUBMITTED =
            Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");

    private final Path workDir;
    private final Path confDir;
    private final String classpath;
    private final int restPort;
    private final int slotsPerTaskManager;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REST_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<ChildProcess> processes = new ArrayList<>();
    private List<String> jobManagerJvm = List.of();
    private List<String> jobManagerConfig = List.of();
    private List<String> taskManagerJvm = List.of();
    private List<String> taskManagerConfig = List.of();
    private ChildProcess jobManager;
    private ChildProcess taskManager;
    private int taskManagersStarted;
    private int submissions;

    private FlinkSessionCluster(Path workDir, String classpath, int slotsPerTaskManager) {
        this.workDir = workDir;
        this.confDir = workDir.resolve("conf");
        this.classpath = classpath;
        this.restPort = FreePorts.next();
        this.slotsPerTaskManager = slotsPerTaskManager;
    }

    /**
     * Starts a JobManager and one TaskManager and returns once the TaskManager's slots are
     * registered.
     */
    static FlinkSessionCluster start(Path classpathFile, Path workDir, int slotsPerTaskManager) {
        String classpath;
        try {
            classpath = Files.readString(classpathFile, UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "No Flink class path at "
                            + classpathFile
                            + " (written by"
                            + " dependency:build-classpath in e2e-tests' generate-test-resources phase)",
                    e);
        }
        FlinkSessionCluster cluster =
                new FlinkSessionCluster(workDir, classpath, slotsPerTaskManager);
        try {
            cluster.writeConfiguration();
            cluster.computeMemorySettings();
            cluster.startJobManager();
            cluster.startTaskManager();
            cluster.awaitFreeSlots(slotsPerTaskManager);
        } catch (RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void writeConfiguration() {
        try {
            Files.createDirectories(confDir);
            Files.createDirectories(workDir.resolve("tmp"));
            Files.writeString(
                    confDir.resolve("config.yaml"),
                    String.join(
                            "\n",
                            "jobmanager.rpc.address: 127.0.0.1",
                            "jobmanager.rpc.port: " + FreePorts.next(),
                            "jobmanager.bind-host: 127.0.0.1",
                            "jobmanager.memory.process.size: 1024m",
                            "rest.address: 127.0.0.1",
                            "rest.bind-address: 127.0.0.1",
                            "rest.port: " + restPort,
                            "taskmanager.host: 127.0.0.1",
                            "taskmanager.bind-host: 127.0.0.1",
                            "taskmanager.numberOfTaskSlots: " + slotsPerTaskManager,
                            "taskmanager.memory.process.size: 1024m",
                            // The jobs keep their state on the heap; managed memory is for RocksDB
                            // and batch operators.
                            "taskmanager.memory.managed.size: 64m",
                            "parallelism.default: 1",
                            // A killed TaskManager is noticed when heartbeat RPCs to it fail (two
                            // in a row), within seconds.
                            "heartbeat.interval: 2s",
                            "heartbeat.timeout: 20s",
                            // The ZooKeeper clients inside the jobs must not try SASL against the
                            // JAAS file Flink installs.
                            "zookeeper.sasl.disable: true",
                            ""),
                    UTF_8);
            Files.writeString(
                    confDir.resolve("log4j.properties"),
                    String.join(
                            "\n",
                            "rootLogger.level = INFO",
                            "rootLogger.appenderRef.console.ref = console",
                            "appender.console.name = console",
                            "appender.console.type = CONSOLE",
                            "appender.console.layout.type = PatternLayout",
                            "appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c [%t] %m%n",
                            "logger.zookeeper.name = org.apache.zookeeper",
                            "logger.zookeeper.level = WARN",
                            "logger.curator.name = org.apache.curator",
                            "logger.curator.level = WARN",
                            ""),
                    UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Flink configuration to " + confDir, e);
        }
    }

    /**
     * What jobmanager.sh and taskmanager.sh get from BashJavaUtils: JVM memory flags and -D memory
     * settings.
     */
    private void computeMemorySettings() {
        ChildProcess jm =
                startJava(
                        "memory-jobmanager",
                        List.of("-Xmx128m"),
                        MEMORY_CALCULATOR_MAIN,
                        List.of("GET_JM_RESOURCE_PARAMS", "--configDir", confDir.toString()),
                        Map.of());
        ChildProcess tm =
                startJava(
                        "memory-taskmanager",
                        List.of("-Xmx128m"),
                        MEMORY_CALCULATOR_MAIN,
                        List.of("GET_TM_RESOURCE_PARAMS", "--configDir", confDir.toString()),
                        Map.of());
        List<List<String>> jmResult = memoryResult(jm);
        List<List<String>> tmResult = memoryResult(tm);
        jobManagerJvm = jmResult.get(0);
        jobManagerConfig = jmResult.get(1);
        taskManagerJvm = tmResult.get(0);
        taskManagerConfig = tmResult.get(1);
    }

    private static List<List<String>> memoryResult(ChildProcess calculator) {
        int exit = calculator.awaitExit(START_TIMEOUT);
        List<List<String>> lines =
                calculator
                        .output()
                        .lines()
                        .filter(l -> l.startsWith(MEMORY_RESULT_PREFIX))
                        .map(
                                l ->
                                        Arrays.asList(
                                                l.substring(MEMORY_RESULT_PREFIX.length())
                                                        .trim()
                                                        .split("\\s+")))
                        .toList();
        if (exit != 0 || lines.size() != 2) {
            throw new AssertionError(
                    "BashJavaUtils did not compute the memory settings (exit code "
                            + exit
                            + ")\n"
                            + calculator.tail());
        }
        return lines;
    }

    private void startJobManager() {
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(jobManagerConfig);
        jobManager = startJava("jobmanager", jobManagerJvm, JOB_MANAGER_MAIN, args, Map.of());
    }

    /** Starts one more TaskManager process; it registers with the JobManager by itself. */
    ChildProcess startTaskManager() {
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(taskManagerConfig);
        taskManager =
                startJava(
                        "taskmanager-" + (++taskManagersStarted),
                        taskManagerJvm,
                        TASK_MANAGER_MAIN,
                        args,
                        Map.of());
        return taskManager;
    }

    /** The TaskManager started last. */
    ChildProcess taskManager() {
        return taskManager;
    }

    private ChildProcess startJava(
            String name,
            List<String> jvmOptions,
            String mainClass,
            List<String> args,
            Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(ChildProcess.java());
        command.addAll(jvmOptions);
        command.addAll(JAVA_17_OPTIONS);
        command.add("-Djava.io.tmpdir=" + workDir.resolve("tmp"));
        command.add("-Dlog4j.configurationFile=file:" + confDir.resolve("log4j.properties"));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        ChildProcess process =
                ChildProcess.start(name, command, environment, workDir.resolve(name + ".log"));
        processes.add(process);
        return process;
    }

    /**
     * {@code flink run -d JAR ARGS...}: Flink's command-line client in its own JVM runs the jar's
     * main method, which submits the job to this cluster. Returns the job id it printed.
     */
    String submit(Path jar, List<String> args) {
        List<String> cliArgs = new ArrayList<>(List.of("run", "-d", jar.toString()));
        cliArgs.addAll(args);
        ChildProcess client =
                startJava(
                        "flink-run-" + (++submissions),
                        List.of("-Xmx256m"),
                        CLIENT_MAIN,
                        cliArgs,
                        Map.of("FLINK_CONF_DIR", confDir.toString()));
        int exit = client.awaitExit(SUBMIT_TIMEOUT);
        Matcher submitted = SUBMITTED.matcher(client.output());
        if (exit != 0 || !submitted.find()) {
            throw new AssertionError("flink run failed (exit code " + exit + ")\n" + client.tail());
        }
        return submitted.group(1);
    }

    String jobState(String jobId) {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /**
     * Waits until the job is in {@code wanted}; fails at once if it reaches another terminal state
     * (for example FAILED when FINISHED was awaited).
     */
    void awaitJobState(String jobId, String wanted, Duration timeout) {
        Set<String> terminal = Set.of("FINISHED", "FAILED", "CANCELED");
        Poll.until(
                "job " + jobId + " to be " + wanted,
                timeout,
                () -> {
                    String state = jobState(jobId);
                    if (!state.equals(wanted) && terminal.contains(state)) {
                        throw new AssertionError(
                                "Job "
                                        + jobId
                                        + " ended "
                                        + state
                                        + " while "
                                        + wanted
                                        + " was expected\n"
                                        + diagnostics(jobId));
                    }
                    return state.equals(wanted);
                },
                () -> diagnostics(jobId));
    }

    /** {@code PATCH /jobs/:id?mode=cancel}. */
    void cancel(String jobId) {
        HttpRequest request =
                HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .timeout(REST_TIMEOUT)
                        .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 202) {
            throw new AssertionError(
                    "Cancelling job "
                            + jobId
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + response.body());
        }
    }

    /**
     * When the job last switched to RESTARTING (epoch milliseconds, the JobManager's clock), or 0
     * if it never did. (The job's numRestarts metric is not used: the REST API serves metrics from
     * a cache that is refreshed only every 10 s.)
     */
    long lastRestart(String jobId) {
        return get("/jobs/" + jobId).path("timestamps").path("RESTARTING").asLong(0);
    }

    /** Waits until the registered TaskManagers offer at least {@code slots} free slots. */
    void awaitFreeSlots(int slots) {
        Poll.until(
                slots + " free task slots",
                START_TIMEOUT,
                () -> {
                    if (!jobManager.isAlive()) {
                        throw new AssertionError("The JobManager exited\n" + jobManager.tail());
                    }
                    if (taskManager != null && !taskManager.isAlive()) {
                        throw new AssertionError("The TaskManager exited\n" + taskManager.tail());
                    }
                    try {
                        return get("/overview").path("slots-available").asInt() >= slots;
                    } catch (AssertionError restNotUpYet) {
                        return false;
                    }
                },
                () -> diagnostics(null));
    }

    /**
     * The job's latest exceptions and the tails of the JobManager's and the current TaskManager's
     * logs.
     */
    String diagnostics(String jobId) {
        StringBuilder text = new StringBuilder();
        if (jobId != null) {
            try {
                text.append("Job exceptions: ")
                        .append(get("/jobs/" + jobId + "/exceptions?maxExceptions=3"))
                        .append('\n');
            } catch (AssertionError e) {
                text.append("(no job exceptions: ").append(e.getMessage()).append(")\n");
            }
        }
        if (jobManager != null) {
            text.append(jobManager.tail()).append('\n');
        }
        if (taskManager != null) {
            text.append(taskManager.tail()).append('\n');
        }
        return text.toString();
    }

    private JsonNode get(String path) {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri(path)).timeout(REST_TIMEOUT).build());
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    "GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " answered no JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted: " + request.uri(), e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + restPort + path);
    }

    /** Stops the TaskManagers before the JobManager, as stop-cluster.sh does. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
