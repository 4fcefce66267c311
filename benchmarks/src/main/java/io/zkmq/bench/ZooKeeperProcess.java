package io.zkmq.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.zookeeper.server.ZooKeeperServerMain;

/**
 * A throw-away standalone ZooKeeper server in its own JVM, for measurements that must not share a
 * heap or CPU scheduler quirks with the client.
 *
 * <p>The server listens on a free loopback port, keeps its data in a new temporary directory (under
 * {@code java.io.tmpdir}; fsync stays on, so that directory must be on a real disk for realistic
 * numbers), runs with {@value #HEAP} of heap because ZooKeeper holds the whole tree in memory, and
 * logs only warnings. {@link #close()} stops it and deletes the directory; a shutdown hook does the
 * same if the benchmark is interrupted.
 */
final class ZooKeeperProcess implements AutoCloseable {

    private static final String HEAP = "4g";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int OUTPUT_TAIL_CHARS = 4_000;

    /**
     * How the answer to {@code srvr} starts when the server serves; otherwise it says it is not
     * serving.
     */
    private static final String SERVING_ANSWER = "Zookeeper version:";

    private final Process process;
    private final Path directory;
    private final Path output;
    private final int port;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Thread shutdownHook =
            new Thread(this::stopAndDelete, "zookeeper-process-shutdown");

    private ZooKeeperProcess(Process process, Path directory, Path output, int port) {
        this.process = process;
        this.directory = directory;
        this.output = output;
        this.port = port;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the server and returns once it serves requests, or throws with the server's output.
     *
     * <p>Readiness is asked with the {@code srvr} command rather than {@code ruok}: {@code ruok}
     * answers "imok" as soon as the port listens, even when the server then failed to load its data
     * and will never serve.
     */
    static ZooKeeperProcess start() throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("zkmq-bench-zookeeper-");
        Path dataDir = Files.createDirectories(directory.resolve("data"));
        int port = freeLoopbackPort();
        Path config =
                Files.writeString(
                        directory.resolve("zoo.cfg"),
                        String.join(
                                "\n",
                                "tickTime=2000",
                                "dataDir=" + dataDir.toAbsolutePath(),
                                "clientPort=" + port,
                                "clientPortAddress="
                                        + InetAddress.getLoopbackAddress().getHostAddress(),
                                "maxClientCnxns=0",
                                "forceSync=yes",
                                ""),
                        UTF_8);
        Path logConfig =
                Files.writeString(
                        directory.resolve("log4j2-zookeeper.properties"),
                        String.join(
                                "\n",
                                "status = error",
                                "appender.console.type = Console",
                                "appender.console.name = STDOUT",
                                "appender.console.layout.type = PatternLayout",
                                "appender.console.layout.pattern = %d{ISO8601} %-5p [%t] %c{1}: %m%n",
                                "rootLogger.level = warn",
                                "rootLogger.appenderRef.stdout.ref = STDOUT",
                                ""),
                        UTF_8);
        Path output = directory.resolve("zookeeper.out");
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx" + HEAP,
                        "-Dzookeeper.admin.enableServer=false",
                        "-Dzookeeper.enforceQuota=true",
                        "-Dzookeeper.4lw.commands.whitelist=srvr,ruok,mntr",
                        "-Dlog4j2.configurationFile=" + logConfig.toAbsolutePath(),
                        "-cp",
                        ServerClasspath.containing(ZooKeeperServerMain.class),
                        ZooKeeperServerMain.class.getName(),
                        config.toAbsolutePath().toString());
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
        ZooKeeperProcess server = new ZooKeeperProcess(process, directory, output, port);
        try {
            server.awaitServing();
        } catch (InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    String connectString() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    Path dataDirectory() {
        return directory.resolve("data");
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running or about to; stopAndDelete is idempotent
        }
        stopAndDelete();
    }

    private void awaitServing() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!fourLetterWord("srvr").startsWith(SERVING_ANSWER)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "The ZooKeeper server exited with code "
                                + process.exitValue()
                                + " while starting; its output:\n"
                                + outputTail());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(
                        "The ZooKeeper server on "
                                + connectString()
                                + " did not serve"
                                + " within "
                                + START_TIMEOUT.toSeconds()
                                + " s; its output:\n"
                                + outputTail());
            }
            // Waiting on the process both paces the polling and returns early if the server dies.
            process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private String fourLetterWord(String word) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            socket.setSoTimeout(1_000);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), US_ASCII).trim();
        } catch (IOException notYetListening) {
            return "";
        }
    }

    private void stopAndDelete() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (!process.isAlive()) {
            System.err.println(
                    "The ZooKeeper server had already exited with code "
                            + process.exitValue()
                            + "; its output:\n"
                            + outputTail());
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteDirectory();
    }

    private void deleteDirectory() {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete the ZooKeeper directory " + directory + ": " + e);
        }
    }

    private String outputTail() {
        try {
            String text = Files.readString(output, UTF_8);
            return text.length() <= OUTPUT_TAIL_CHARS
                    ? text
                    : "..." + text.substring(text.length() - OUTPUT_TAIL_CHARS);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
