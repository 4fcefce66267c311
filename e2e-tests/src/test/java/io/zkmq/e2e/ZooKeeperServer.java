package io.zkmq.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * ZooKeeper in its own JVM, started the way the docs tell users to: {@code zkmq dev-server --port
 * PORT}.
 */
final class ZooKeeperServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final ChildProcess process;
    private final int port;

    private ZooKeeperServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static ZooKeeperServer start(Path cliJar, Path workDir) {
        int port = FreePorts.next();
        ChildProcess process =
                ChildProcess.start(
                        "zookeeper",
                        List.of(
                                ChildProcess.java(),
                                "-Xmx256m",
                                "-jar",
                                cliJar.toString(),
                                "dev-server",
                                "--port",
                                Integer.toString(port)),
                        Map.of(),
                        workDir.resolve("zookeeper.log"));
        ZooKeeperServer server = new ZooKeeperServer(process, port);
        try {
            // The dev server prints this line only once a client session against it has opened.
            String listening = "ZooKeeper listening on 127.0.0.1:" + port;
            Poll.until(
                    "'" + listening + "' from the dev server",
                    START_TIMEOUT,
                    () -> {
                        if (!process.isAlive()) {
                            throw new AssertionError(
                                    "The ZooKeeper dev server exited while starting\n"
                                            + process.tail());
                        }
                        return process.output().contains(listening);
                    },
                    process::tail);
        } catch (RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    String connectString() {
        return "127.0.0.1:" + port;
    }

    String diagnostics() {
        return process.tail();
    }

    @Override
    public void close() {
        process.close();
    }
}
