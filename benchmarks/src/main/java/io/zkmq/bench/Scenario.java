package io.zkmq.bench;

import java.util.List;

/**
 * One benchmark scenario: a workload run against ZooKeeper for about {@link
 * ScenarioContext#duration()} per phase.
 *
 * <p>A scenario creates its znodes under {@link ScenarioContext#newScratchPath(String)} and deletes
 * them before it returns, so that ZooKeeper's heap (which holds the whole tree) does not grow from
 * one scenario to the next. A scenario reports only what it measured; a failure is thrown, never
 * turned into a number.
 */
public interface Scenario {

    /** The name used with {@code --scenarios}; also the prefix of every result name. */
    String name();

    /** Runs the workload and returns the measured figures, in the order they should be printed. */
    List<Result> run(ScenarioContext context) throws Exception;
}
