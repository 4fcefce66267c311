package io.zkmq.coordination;

import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.flink.annotation.Internal;

/**
 * One job the maintenance leader runs at every interval while it leads, e.g. retention or the
 * clean-up of abandoned transactions. Handed in by whoever builds the leader, so the leader needs
 * to know nothing about what the tasks touch. Each run must be idempotent: a failed run is logged
 * and simply runs again at the next interval.
 *
 * @param name what the task does, for the logs (e.g. "retention")
 * @param run one run; its result is ignored
 */
@Internal
public record MaintenanceTask(String name, Callable<?> run) {
    public MaintenanceTask {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(run, "run");
    }
}
