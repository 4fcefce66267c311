package io.zkmq.bench;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs scenarios one after the other, so that they never compete for ZooKeeper, and collects what
 * each measured.
 *
 * <p>A failing scenario does not stop the others; its failure is kept in its {@link Outcome} and
 * printed with its stack trace.
 */
final class ScenarioRunner {

    /** What one scenario produced: its results, or the exception that stopped it. */
    record Outcome(String scenario, List<Result> results, Exception failure) {

        Outcome {
            requireNonNull(scenario, "scenario");
            results = List.copyOf(results);
        }

        boolean failed() {
            return failure != null;
        }
    }

    private final PrintStream progress;

    ScenarioRunner(PrintStream progress) {
        this.progress = requireNonNull(progress, "progress");
    }

    List<Outcome> runAll(List<Scenario> scenarios, ScenarioContext context)
            throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            progress.printf("Running %s ...%n", scenario.name());
            long start = System.nanoTime();
            Outcome outcome;
            try {
                outcome = new Outcome(scenario.name(), scenario.run(context), null);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                progress.printf("Scenario %s failed:%n", scenario.name());
                e.printStackTrace(progress);
                outcome = new Outcome(scenario.name(), List.of(), e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            progress.printf(
                    Locale.ROOT,
                    "  %s finished in %.1f s%n",
                    scenario.name(),
                    took.toMillis() / 1000.0);
            outcomes.add(outcome);
        }
        return outcomes;
    }
}
