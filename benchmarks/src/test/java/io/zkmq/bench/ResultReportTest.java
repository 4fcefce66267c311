package io.zkmq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultReportTest {

    @Test
    void printsAnAlignedTableThenOneResultLinePerFigure() {
        List<ScenarioRunner.Outcome> outcomes =
                List.of(
                        new ScenarioRunner.Outcome(
                                "raw_zk_create",
                                List.of(
                                        new Result("raw_zk_create_MBps", 118.34, "MB/s"),
                                        new Result(
                                                "raw_zk_create_small_per_s", 8123.0, "znodes/s")),
                                null));

        List<String> lines = print(outcomes);

        assertThat(lines)
                .containsSubsequence(
                        "scenario       result                      value  unit",
                        "raw_zk_create  raw_zk_create_MBps          118.3  MB/s",
                        "raw_zk_create  raw_zk_create_small_per_s  8123.0  znodes/s",
                        "RESULT raw_zk_create_MBps 118.3",
                        "RESULT raw_zk_create_small_per_s 8123.0");
    }

    @Test
    void listsFailedScenariosWithTheirError() {
        List<ScenarioRunner.Outcome> outcomes =
                List.of(
                        new ScenarioRunner.Outcome(
                                "curator_queue",
                                List.of(),
                                new IllegalStateException("Create under /q failed")));

        assertThat(print(outcomes))
                .contains(
                        "FAILED curator_queue: java.lang.IllegalStateException: Create under /q failed")
                .noneMatch(line -> line.startsWith("RESULT"));
    }

    private static List<String> print(List<ScenarioRunner.Outcome> outcomes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResultReport.print(outcomes, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
