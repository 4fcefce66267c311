package io.zkmq.cli;

import io.zkmq.error.ZkmqException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code zkmq dev-server}: a single standalone ZooKeeper on 127.0.0.1 for development, until
 * Ctrl-C or SIGTERM. It prints {@code ZooKeeper listening on 127.0.0.1:PORT} once a client
 * session has been opened against it. Interrupting the thread that runs the command stops the
 * server too, which is how tests end it.
 */
@Command(name = "dev-server", description = {
        "Run a local single-node ZooKeeper for development until Ctrl-C.",
        "Without --data-dir the data lives in a temporary directory that is deleted on exit."})
final class DevServerCommand implements Callable<Integer> {
    private static final String HOST = "127.0.0.1";
    private static final long STARTUP_TIMEOUT_MS = 30_000;
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "2181", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep snapshots and transaction logs here (kept on exit).")
    Path dataDir;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public Integer call() throws Exception {
        checkPortFree();
        Path baseDir = Files.createTempDirectory("zkmq-dev-server");
        Path data = dataDir != null ? Files.createDirectories(dataDir) : baseDir.resolve("data");
        ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                .baseDir(baseDir)
                .configuration(config(data))
                .exitHandler(ExitHandler.LOG_ONLY)
                .build();
        boolean interrupted = false;
        try (OnShutdown stopOnCtrlC = OnShutdown.run("dev-server", () -> stop(server))) {
            server.start(STARTUP_TIMEOUT_MS);
            String connectString = HOST + ":" + port;
            awaitAnswer(connectString);
            PrintWriter out = spec.commandLine().getOut();
            out.println("ZooKeeper listening on " + connectString);
            out.flush();
            spec.commandLine().getErr().printf("Data in %s; press Ctrl-C to stop%n", data.toAbsolutePath());
            spec.commandLine().getErr().flush();
            stopped.await();
        } catch (InterruptedException e) {
            interrupted = true; // Stop normally; the flag is restored once the server is closed.
        } finally {
            stop(server);
            deleteRecursively(baseDir);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    private Properties config(Path data) {
        Properties p = new Properties();
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("clientPortAddress", HOST);
        p.setProperty("dataDir", data.toAbsolutePath().toString());
        p.setProperty("tickTime", "2000");
        p.setProperty("maxClientCnxns", "0");
        // Becomes the system property zookeeper.admin.enableServer: no Jetty admin server on port 8080.
        p.setProperty("admin.enableServer", "false");
        p.setProperty("4lw.commands.whitelist", "srvr,stat,ruok,mntr");
        return p;
    }

    private void checkPortFree() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
        } catch (IOException e) {
            throw new ZkmqException("Cannot listen on " + HOST + ":" + port + " (" + e.getMessage()
                    + "); stop what uses the port or pick another with --port");
        }
    }

    /** Opens one client session, so "listening" is printed only once the server really answers. */
    private static void awaitAnswer(String connectString) throws Exception {
        try (CuratorFramework probe = CuratorFrameworkFactory.newClient(connectString, 10_000, 10_000, new RetryOneTime(100))) {
            probe.start();
            if (!probe.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new ZkmqException("ZooKeeper on " + connectString + " started but did not answer within 30 s");
            }
            probe.checkExists().forPath("/");
        }
    }

    /** Closes the server, waiting at most {@link #CLOSE_TIMEOUT_MS}: a stuck close must not keep the JVM alive. */
    private void stop(ZooKeeperServerEmbedded server) {
        if (closed.compareAndSet(false, true)) {
            Thread closer = new Thread(server::close, "zkmq-dev-server-close");
            closer.setDaemon(true);
            closer.start();
            try {
                closer.join(CLOSE_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopped.countDown();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory; the OS cleans it eventually.
        }
    }
}
