package io.zkmq.embedded;

import io.zkmq.error.ZkmqException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A single ZooKeeper server in this JVM (ZooKeeper's own {@link ZooKeeperServerEmbedded}) on
 * 127.0.0.1, for demos, examples and {@code zkmq dev-server}: nothing to install. Durable (fsync
 * on) like a real server; not for production, which wants a 3- or 5-server ensemble.
 */
@PublicEvolving
public final class EmbeddedZooKeeper implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final long STARTUP_TIMEOUT_MS = 30_000;
    // ZooKeeper's close can hang after a failed start; it must never keep the JVM alive.
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    private final ZooKeeperServerEmbedded server;
    private final Path baseDir;
    private final Path dataDir;
    private final int port;

    private EmbeddedZooKeeper(
            ZooKeeperServerEmbedded server, Path baseDir, Path dataDir, int port) {
        this.server = server;
        this.baseDir = baseDir;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Starts a server on a free port with its data in a temporary directory (deleted on close). */
    public static EmbeddedZooKeeper startTemporary() {
        return start(0, null);
    }

    /**
     * Starts a server on {@code port} (0 = a free one) and waits until it serves clients. Data goes
     * to {@code dataDir}, which is kept on close, or to a temporary directory (deleted) if null.
     */
    public static EmbeddedZooKeeper start(int port, Path dataDir) {
        int actualPort = port == 0 ? freePort() : checkFree(port);
        Path baseDir;
        try {
            baseDir = Files.createTempDirectory("zkmq-zookeeper-");
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot create a directory for the embedded ZooKeeper", e);
        }
        Path data = dataDir != null ? dataDir.toAbsolutePath() : baseDir.resolve("data");
        Properties config = new Properties();
        config.setProperty("clientPort", Integer.toString(actualPort));
        config.setProperty("clientPortAddress", HOST);
        config.setProperty("dataDir", data.toString());
        config.setProperty("tickTime", "2000");
        config.setProperty("maxSessionTimeout", "120000");
        config.setProperty("maxClientCnxns", "0");
        // Becomes zookeeper.admin.enableServer: no Jetty admin server on port 8080.
        config.setProperty("admin.enableServer", "false");
        config.setProperty("4lw.commands.whitelist", "srvr,stat,ruok,mntr");
        // Becomes zookeeper.enforceQuota: queue byte quotas are refused, not only counted, as on a
        // production server (docs/operations.md). ZooKeeper reads it once per JVM, when its server
        // class loads, so it holds for the first server a JVM starts.
        config.setProperty("enforceQuota", "true");
        ZooKeeperServerEmbedded server = null;
        try {
            Files.createDirectories(data);
            server =
                    ZooKeeperServerEmbedded.builder()
                            .baseDir(baseDir)
                            .configuration(config)
                            .exitHandler(ExitHandler.LOG_ONLY)
                            .build();
            server.start(STARTUP_TIMEOUT_MS);
            return new EmbeddedZooKeeper(server, baseDir, data, actualPort);
        } catch (Exception e) {
            if (server != null) {
                closeBounded(server);
            }
            deleteRecursively(baseDir);
            throw new ZkmqException(
                    "Could not start an embedded ZooKeeper on "
                            + HOST
                            + ":"
                            + actualPort
                            + " with data in "
                            + data
                            + ": "
                            + e,
                    e);
        }
    }

    public String connectString() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Stops the server (waiting at most 10 s) and deletes temporary files; a given data directory
     * is kept.
     */
    @Override
    public void close() {
        closeBounded(server);
        deleteRecursively(baseDir);
    }

    private static void closeBounded(ZooKeeperServerEmbedded server) {
        Thread closer = new Thread(server::close, "zkmq-embedded-zookeeper-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(CLOSE_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }

    private static int checkFree(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return port;
        } catch (IOException e) {
            throw new ZkmqException(
                    "Cannot listen on "
                            + HOST
                            + ":"
                            + port
                            + " ("
                            + e.getMessage()
                            + "); stop what uses the port or pick another one");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for an embedded ZooKeeper", e);
        }
    }
}
