package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Errors and defaults a new user meets first: one line each, in the CLI's terms. */
class FirstHourErrorsTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    @Test
    void anUnresolvableHostIsOneLineAndNothingElseOnStderr() throws Exception {
        Cli.Result r =
                CliProcess.run(Map.of(), "--zookeeper", "nosuchhost.invalid:2181", "queue", "list");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines())
                .as(r.toString())
                .containsExactly(
                        "zkmq: error: Cannot resolve the ZooKeeper host 'nosuchhost.invalid' of"
                                + " --zookeeper nosuchhost.invalid:2181 (unknown host); check the"
                                + " name and DNS");
    }

    @Test
    void oneUnresolvableHostOfSeveralIsAOneLineWarning() throws Exception {
        Cli.Result r =
                CliProcess.run(
                        Map.of(),
                        "--zookeeper",
                        "nosuchhost.invalid:2181," + ZK.connectString(),
                        "queue",
                        "list");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.errLines())
                .as(r.toString())
                .containsExactly(
                        "zkmq: warning: cannot resolve ZooKeeper host 'nosuchhost.invalid';"
                                + " connecting to the others");
    }

    @Test
    void aMalformedConnectStringIsAUsageErrorNamingIt() {
        Cli.Result r = Cli.bare().run("--zookeeper", "localhost:abc", "queue", "list");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines())
                .singleElement()
                .asString()
                .startsWith(
                        "zkmq: error: Invalid value for option '--zookeeper': 'localhost:abc' is"
                                + " not a ZooKeeper connect string (a port is not a number)");
    }

    @Test
    void aNameStartingWithADashSaysToPassItAfterDoubleDash() {
        Cli cli = ZK.freshCli();

        Cli.Result wrong = cli.run("queue", "create", "-orders", "--partitions", "1");
        Cli.Result right = cli.run("queue", "create", "--partitions", "1", "--", "-orders");

        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.errLines())
                .singleElement()
                .asString()
                .contains(
                        "'-orders' was read as an option: to pass a name that starts with '-', put"
                                + " it after '--' at the end, e.g. 'zkmq queue create [OPTIONS] --"
                                + " -orders'");
        assertThat(right.exitCode()).as(right.toString()).isZero();
        assertThat(right.out()).isEqualTo("Created queue -orders with 1 partition\n");
    }

    @Test
    void durationProblemsAreWrittenInTheCliSyntax() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "1");

        Cli.Result zeroConnect = cli.run("--connect-timeout", "0s", "queue", "list");
        Cli.Result zeroDelivery =
                cli.runWithInput("a\n", "produce", "orders", "--delivery-timeout", "0s");
        Cli.Result huge = cli.run("consume", "orders", "--timeout", "999999999999d");
        Cli.Result minutes = cli.run("consume", "orders", "--timeout", "1min", "--max", "1");

        assertThat(zeroConnect.err())
                .contains("'--connect-timeout': it must be positive")
                .doesNotContain("PT0S")
                .doesNotContain("connectionTimeout");
        assertThat(zeroDelivery.err())
                .contains("--delivery-timeout must be positive, got 0s")
                .doesNotContain("PT0S");
        assertThat(huge.exitCode()).isEqualTo(2);
        assertThat(huge.err()).contains("'999999999999d' is too long a duration");
        assertThat(minutes.exitCode()).as(minutes.toString()).isZero();
    }

    @Test
    void oneRecordIsSingular() {
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "1");

        Cli.Result produced = cli.runWithInput("a\n", "produce", "orders");
        Cli.Result consumed = cli.run("consume", "orders", "--max", "1");

        assertThat(produced.err()).isEqualTo("Produced 1 record to orders\n");
        assertThat(consumed.err()).isEqualTo("Consumed 1 record from orders\n");
    }

    @Test
    void aMissingQueueNamesItsZnodeWithTheNamespace() {
        Cli cli = ZK.freshCli();

        Cli.Result r = cli.run("queue", "describe", "nosuch");

        assertThat(r.err()).contains("(no znode /" + cli.namespace() + "/queues/nosuch)");
    }

    @Test
    void zooKeeperNamespaceAndAuthComeFromTheEnvironmentAndHelpNamesThem(@TempDir Path dir)
            throws Exception {
        Path authFile = dir.resolve("auth");
        Files.writeString(authFile, "alice:pw-7f3a9c\n");
        Map<String, String> env =
                Map.of(
                        "ZKMQ_ZOOKEEPER", ZK.connectString(),
                        "ZKMQ_NAMESPACE", "envns" + System.nanoTime(),
                        "ZKMQ_AUTH_FILE", authFile.toString());

        Cli.Result created = CliProcess.run(env, "queue", "create", "private", "--partitions", "1");
        Cli.Result listed = CliProcess.run(env, "queue", "list");
        Cli.Result other =
                Cli.against(ZK.connectString(), env.get("ZKMQ_NAMESPACE"))
                        .run("queue", "describe", "private");
        Cli.Result help = CliProcess.run(env, "queue", "list", "--help");

        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(listed.out()).isEqualTo("private\n");
        // Created with alice's credentials, so a client without them is refused.
        assertThat(other.err()).contains("ZooKeeper denied access");
        assertThat(help.out())
                .contains("$ZKMQ_ZOOKEEPER")
                .contains("$ZKMQ_NAMESPACE")
                .contains("$ZKMQ_AUTH_FILE")
                .doesNotContain("pw-7f3a9c");
    }
}
