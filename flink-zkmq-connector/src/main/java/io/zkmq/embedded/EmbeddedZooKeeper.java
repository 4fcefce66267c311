package io.zkmq.embedded;

import io.zkmq.error.ZkmqException;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A single ZooKeeper server in this JVM (ZooKeeper's own {@link ZooKeeperServerEmbedded}), for
 * demos, local development ({@code zkmq dev-server}) and examples: nothing to install. Durable
 * (fsync on) like a real server; not for production, which wants a 3- or 5-server ensemble.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
    private final ZooKeeperServerEmbedded server;
    private final Path baseDir;
    private final boolean deleteOnClose;
    private final int port;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, Path baseDir, boolean deleteOnClose, int port) {
        this.server = server;
        this.baseDir = baseDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
    }

    /** Starts a server on a free loopback port with a temporary data directory (deleted on close). */
    public static EmbeddedZooKeeper startTemporary() {
        try {
            return start(freePort(), Files.createTempDirectory("zkmq-zookeeper-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server on {@code port} (0 = a free one) keeping its data in {@code dataDir}, and
     * waits until it serves clients.
     */
    public static EmbeddedZooKeeper start(int port, Path dataDir, boolean deleteOnClose) {
        int actualPort = port == 0 ? freePort() : port;
        Properties config = new Properties();
        config.setProperty("clientPort", Integer.toString(actualPort));
        config.setProperty("clientPortAddress", "127.0.0.1");
        config.setProperty("tickTime", "2000");
        config.setProperty("maxSessionTimeout", "120000");
        config.setProperty("admin.enableServer", "false");
        config.setProperty("4lw.commands.whitelist", "srvr,ruok,mntr");
        config.setProperty("maxClientCnxns", "0");
        try {
            Files.createDirectories(dataDir);
            ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                    .baseDir(dataDir)
                    .configuration(config)
                    .exitHandler(ExitHandler.LOG_ONLY)
                    .build();
            server.start(30_000);
            return new EmbeddedZooKeeper(server, dataDir, deleteOnClose, actualPort);
        } catch (Exception e) {
            throw new ZkmqException("Could not start an embedded ZooKeeper on 127.0.0.1:" + actualPort + " with data in "
                    + dataDir + ": " + e, e);
        }
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return baseDir;
    }

    @Override
    public void close() {
        server.close();
        if (deleteOnClose) {
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temp directory is harmless.
            }
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
