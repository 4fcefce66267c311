package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress shows on a terminal stderr even when stdout goes to a file, and never reaches the file.
 * util-linux {@code script} gives the process a real pseudo-terminal.
 */
class ProgressOnTerminalTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    @Test
    void consumeToAFileShowsProgressOnTheTerminalAndOnlyDataInTheFile(@TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("data.txt");
        String shown = consumeOnTerminal(dir, " > " + quote(data.toString()));

        List<String> written = Files.readAllLines(data, StandardCharsets.UTF_8);
        assertThat(shown).contains("\r\033[K2,000 records").contains("Consumed 2000 records");
        assertThat(written).hasSize(2000).allMatch(l -> l.matches("v\\d+"));
    }

    @Test
    void consumeToTheTerminalPrintsDataLinesWithoutProgressBetweenThem(@TempDir Path dir)
            throws Exception {
        String shown = consumeOnTerminal(dir, "");

        assertThat(shown).doesNotContain("\033[K").contains("Consumed 2000 records");
        assertThat(shown.lines().filter(l -> l.matches("v\\d+\r?"))).hasSize(2000);
    }

    /** What the terminal showed of a consume of 2000 records, with {@code redirect} appended. */
    private static String consumeOnTerminal(Path dir, String redirect) throws Exception {
        assumeTrue(new File("/usr/bin/script").canExecute(), "needs util-linux script");
        Cli cli = ZK.freshCli();
        cli.run("queue", "create", "orders", "--partitions", "2");
        String lines =
                IntStream.range(0, 2000).mapToObj(i -> "v" + i).collect(Collectors.joining("\n"));
        assertThat(cli.runWithInput(lines, "produce", "orders").exitCode()).isZero();
        Path terminal = dir.resolve("terminal.log");
        String command =
                String.join(
                                " ",
                                List.of(
                                        quote(
                                                Path.of(
                                                                System.getProperty("java.home"),
                                                                "bin",
                                                                "java")
                                                        .toString()),
                                        "-cp",
                                        quote(System.getProperty("java.class.path")),
                                        ZkmqCli.class.getName(),
                                        "--zookeeper",
                                        ZK.connectString(),
                                        "--namespace",
                                        cli.namespace(),
                                        "consume",
                                        "orders",
                                        "--timeout",
                                        "2s"))
                        + redirect;

        Process p =
                new ProcessBuilder("script", "-qec", command, terminal.toString())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectErrorStream(true)
                        .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("consume under script ended").isTrue();
        return Files.readString(terminal, StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
