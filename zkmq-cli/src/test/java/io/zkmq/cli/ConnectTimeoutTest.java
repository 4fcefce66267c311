package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectTimeoutTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    @Test
    void aServerThatIsNotZooKeeperFailsWithinTheConnectTimeout() throws Exception {
        HttpServer http =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.start();
        try {
            String connect = "127.0.0.1:" + http.getAddress().getPort();
            long start = System.nanoTime();

            Cli.Result r =
                    Cli.against(connect, "zkmq").run("--connect-timeout", "3s", "queue", "list");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.errLines())
                    .singleElement()
                    .asString()
                    .startsWith("zkmq: error: Could not connect to ZooKeeper at '" + connect + "'")
                    .contains("3000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("3 s timeout plus a margin")
                    .isLessThan(Duration.ofSeconds(8));
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aLongConnectTimeoutIsAnUpperBoundAgainstALiveServer() {
        Cli cli = ZK.freshCli();

        Cli.Result r =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(20),
                        () ->
                                cli.run(
                                        "--connect-timeout",
                                        "7d",
                                        "queue",
                                        "create",
                                        "orders",
                                        "--partitions",
                                        "2"));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(cli.run("--connect-timeout", "24d", "queue", "list").out()).contains("orders");
    }

    @Test
    void aConnectTimeoutBeyondTheMaximumIsAUsageErrorNamingIt() {
        Cli.Result r = ZK.freshCli().run("--connect-timeout", "25d", "queue", "list");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith(
                        "zkmq: error: Invalid value for option '--connect-timeout': 25d is longer than the"
                                + " maximum 24d");
    }
}
