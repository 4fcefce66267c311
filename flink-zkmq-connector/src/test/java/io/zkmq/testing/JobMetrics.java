package io.zkmq.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** A job's metrics as Flink's in-memory reporter holds them, summed over the job's subtasks. */
public final class JobMetrics {
    private JobMetrics() {}

    /**
     * The metrics whose name is exactly {@code name} (findMetrics matches by pattern:
     * "numRecordsSend" also finds "numRecordsSendErrors").
     */
    private static Map<String, Metric> named(InMemoryReporter reporter, JobID job, String name) {
        Map<String, Metric> found = new HashMap<>(reporter.findMetrics(job, name));
        found.keySet().removeIf(id -> !id.endsWith("." + name));
        return found;
    }

    /**
     * Sum of the counters and numeric gauges called {@code name}; empty while none is registered.
     */
    public static Optional<Long> sum(InMemoryReporter reporter, JobID job, String name) {
        Map<String, Metric> found = named(reporter, job, name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        long total = 0;
        for (Metric m : found.values()) {
            if (m instanceof Counter c) {
                total += c.getCount();
            } else if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                total += n.longValue();
            }
        }
        return Optional.of(total);
    }

    /** The values of the gauges called {@code name}, concatenated. */
    public static String text(InMemoryReporter reporter, JobID job, String name) {
        return named(reporter, job, name).values().stream()
                .map(m -> String.valueOf(((Gauge<?>) m).getValue()))
                .collect(Collectors.joining());
    }
}
