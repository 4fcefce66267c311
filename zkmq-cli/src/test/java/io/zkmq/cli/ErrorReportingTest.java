package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ErrorReportingTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    @Test
    void aMissingQueueIsOneLineNamingTheQueue() {
        Cli cli = ZK.freshCli();
        for (String[] command :
                new String[][] {
                    {"queue", "describe", "nosuch"},
                    {"consume", "nosuch", "--max", "1", "--timeout", "1s"},
                    {"group", "describe", "g", "--queue", "nosuch"},
                    {"txn", "list", "--queue", "nosuch"},
                    {"txn", "abort", "--prefix", "etl", "--queue", "nosuch"},
                    {"queue", "delete", "nosuch"}
                }) {
            Cli.Result r = cli.run(command);

            assertThat(r.exitCode()).as(r.toString()).isNotZero();
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines())
                    .as(r.toString())
                    .singleElement()
                    .asString()
                    .startsWith("zkmq: error: ")
                    .contains("'nosuch'");
        }
    }

    @Test
    void producingToAMissingQueueFails() {
        Cli.Result r = ZK.freshCli().runWithInput("a\nb\n", "produce", "nosuch");

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith("zkmq: error: ")
                .contains("'nosuch'");
    }

    @Test
    void unreachableZooKeeperFailsWithinTheConnectTimeout() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        long start = System.nanoTime();

        Cli.Result r =
                Cli.against("127.0.0.1:" + closedPort, "zkmq")
                        .run("--connect-timeout", "2s", "queue", "list");

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith(
                        "zkmq: error: Could not connect to ZooKeeper at '127.0.0.1:"
                                + closedPort
                                + "'")
                .contains("2000 ms");
        assertThat(took).as("well under the 15 s default").isLessThan(Duration.ofSeconds(12));
    }

    @Test
    void aMissingZooKeeperOptionIsAUsageError() {
        Cli.Result r = Cli.bare().run("queue", "list");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith("zkmq: error: Missing required option '--zookeeper");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        Cli cli = ZK.freshCli();
        String[][] commands = {
            {"--connect-timeout", "soon", "queue", "list"},
            {"queue", "create", "orders"},
            {"queue", "create", "orders", "--partitions", "4", "--retention-bytes", "lots"},
            {"consume", "orders", "--from", "yesterday"},
            {"consume", "orders", "--group", "g", "--from", "5"},
            {"consume", "orders", "--group", "g", "--partition", "1"},
            {"queue", "frobnicate"}
        };
        for (String[] command : commands) {
            Cli.Result r = cli.run(command);

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.errLines())
                    .as(r.toString())
                    .singleElement()
                    .asString()
                    .startsWith("zkmq: error: ");
        }
    }

    @Test
    void invalidConfigIsReportedWithTheClientsMessage() {
        Cli.Result r = ZK.freshCli().run("queue", "create", "orders", "--partitions", "0");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .isEqualTo("zkmq: error: partitions must be between 1 and 10000, got 0");
    }

    @Test
    void verbosePrintsTheStackTrace() {
        try {
            Cli.Result r = ZK.freshCli().run("--verbose", "queue", "describe", "nosuch");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.errLines().get(0)).startsWith("zkmq: error: ");
            assertThat(r.err()).contains("QueueNotFoundException", "\tat ");
        } finally {
            Configurator.reconfigure(); // --verbose raised log levels for the whole JVM
        }
    }
}
