package io.zkmq.examples;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Passes events through and, in the job's first attempt only, subtask 0 throws after {@code
 * failAfter} events: an injected failure that makes recovery visible (Flink restarts from the last
 * checkpoint; the next attempt does not fail again).
 */
final class FailOnce extends RichMapFunction<Event, Event> {
    private static final long serialVersionUID = 1L;

    private final long failAfter;
    private transient long seen;
    private transient boolean armed;

    FailOnce(long failAfter) {
        this.failAfter = failAfter;
    }

    @Override
    public void open(OpenContext context) {
        armed =
                failAfter > 0
                        && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0
                        && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public Event map(Event e) {
        if (armed && ++seen >= failAfter) {
            System.out.println(
                    "  !! injected failure in subtask "
                            + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()
                            + " after "
                            + failAfter
                            + " events; Flink restarts the job from its last checkpoint");
            throw new IllegalStateException(
                    "Injected failure after "
                            + failAfter
                            + " events (--fail-after): Flink"
                            + " restarts from the last checkpoint and the exactly-once sink keeps the output exactly once");
        }
        return e;
    }
}
