package io.zkmq.cli;

import io.zkmq.embedded.EmbeddedZooKeeper;
import io.zkmq.error.ZkmqException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zkmq dev-server}: a single standalone ZooKeeper on 127.0.0.1 for development, until Ctrl-C
 * or SIGTERM. It prints {@code ZooKeeper listening on 127.0.0.1:PORT} once a client session has
 * been opened against it. Interrupting the thread that runs the command stops the server too, which
 * is how tests end it.
 */
@Command(
        name = "dev-server",
        description = {
            "Run a local single-node ZooKeeper for development until Ctrl-C.",
            "Without --data-dir the data lives in a temporary directory that is deleted on exit."
        })
final class DevServerCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "2181",
            description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Keep snapshots and transaction logs here (kept on exit).")
    Path dataDir;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        EmbeddedZooKeeper server = EmbeddedZooKeeper.start(port, dataDir);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable stop =
                () -> {
                    if (closed.compareAndSet(false, true)) {
                        server.close();
                    }
                    stopped.countDown();
                };
        boolean interrupted = false;
        try (OnShutdown stopOnCtrlC = OnShutdown.run("dev-server", stop)) {
            awaitAnswer(server.connectString());
            PrintWriter out = spec.commandLine().getOut();
            out.println("ZooKeeper listening on " + server.connectString());
            out.flush();
            spec.commandLine()
                    .getErr()
                    .printf("Data in %s; press Ctrl-C to stop%n", server.dataDir());
            spec.commandLine().getErr().flush();
            stopped.await();
        } catch (InterruptedException e) {
            interrupted = true; // Stop normally; the flag is restored once the server is closed.
        } finally {
            stop.run();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    /** Opens one client session, so "listening" is printed only once the server really answers. */
    private static void awaitAnswer(String connectString) throws Exception {
        try (CuratorFramework probe =
                CuratorFrameworkFactory.newClient(
                        connectString, 10_000, 10_000, new RetryOneTime(100))) {
            probe.start();
            if (!probe.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new ZkmqException(
                        "ZooKeeper on "
                                + connectString
                                + " started but did not answer within 30 s");
            }
            probe.checkExists().forPath("/");
        }
    }
}
