package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.queue.QueueConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DevServerCommandTest {

    @Test
    void servesClientsUntilInterrupted(@TempDir Path dataDir) throws Exception {
        int port = freePort();
        AtomicReference<Cli.Result> result = new AtomicReference<>();
        StringWriter out = new StringWriter();
        Thread server =
                new Thread(
                        () -> {
                            CommandLine cli = ZkmqCli.newCommandLine();
                            cli.setOut(new PrintWriter(out, true));
                            StringWriter err = new StringWriter();
                            cli.setErr(new PrintWriter(err, true));
                            int exit =
                                    cli.execute(
                                            "dev-server",
                                            "--port",
                                            Integer.toString(port),
                                            "--data-dir",
                                            dataDir.toString());
                            result.set(new Cli.Result(exit, out.toString(), err.toString()));
                        },
                        "dev-server-under-test");
        server.start();
        try {
            Deadline.await(
                    "the listening line",
                    Duration.ofSeconds(30),
                    () ->
                            out.toString().contains("ZooKeeper listening on 127.0.0.1:" + port)
                                    || result.get() != null);
            assertThat(out.toString())
                    .as(String.valueOf(result.get()))
                    .isEqualTo("ZooKeeper listening on 127.0.0.1:" + port + System.lineSeparator());

            try (ZkmqClient client =
                    ZkmqClient.connect(
                            ZkmqClientOptions.builder("127.0.0.1:" + port)
                                    .connectionTimeout(Duration.ofSeconds(5))
                                    .build())) {
                client.admin().createQueue("orders", QueueConfig.builder().partitions(2).build());
                assertThat(client.admin().listQueues()).containsExactly("orders");
            }
        } finally {
            server.interrupt();
            server.join(Duration.ofSeconds(20).toMillis());
        }
        assertThat(server.isAlive()).isFalse();
        assertThat(result.get().exitCode()).as(result.get().toString()).isZero();
        assertThat(isListening(port)).isFalse();
        try (var files = Files.list(dataDir)) {
            assertThat(files).as("snapshots and logs are kept in --data-dir").isNotEmpty();
        }
    }

    @Test
    void aBusyPortIsReportedClearly() throws IOException {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress("127.0.0.1", 0));

            Cli.Result r =
                    Cli.bare().run("dev-server", "--port", Integer.toString(busy.getLocalPort()));

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.errLines())
                    .singleElement()
                    .asString()
                    .startsWith("zkmq: error: Cannot listen on 127.0.0.1:" + busy.getLocalPort());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
