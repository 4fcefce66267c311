package io.zkmq.bench;

import io.zkmq.source.split.ZkmqSplit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * The coordinator side of a source, without a job: readers are registered by hand and assignments
 * are counted. Only what an enumerator that is not started uses works; asynchronous calls (which
 * {@code start()} makes) are refused.
 */
final class EnumeratorContext implements SplitEnumeratorContext<ZkmqSplit> {

    private final int parallelism;
    private final Map<Integer, ReaderInfo> readers = new HashMap<>();
    private final Map<Integer, Integer> assignedByReader = new HashMap<>();

    EnumeratorContext(int parallelism) {
        this.parallelism = parallelism;
    }

    void register(int reader) {
        readers.put(reader, new ReaderInfo(reader, "localhost"));
    }

    /** How many splits each reader was assigned. */
    Map<Integer, Integer> assignedByReader() {
        return assignedByReader;
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
        return UnregisteredMetricsGroup.createSplitEnumeratorMetricGroup();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
        throw new UnsupportedOperationException(
                "the benchmark's enumerator sends no events (to reader " + subtaskId + ")");
    }

    @Override
    public int currentParallelism() {
        return parallelism;
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
        return readers;
    }

    @Override
    public void assignSplits(SplitsAssignment<ZkmqSplit> assignment) {
        assignment
                .assignment()
                .forEach(
                        (reader, splits) ->
                                assignedByReader.merge(reader, splits.size(), Integer::sum));
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
        // An unbounded source never signals; nothing to record.
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
        throw new UnsupportedOperationException(
                "the benchmark's enumerator is not started; callAsync is not expected");
    }

    @Override
    public <T> void callAsync(
            Callable<T> callable,
            BiConsumer<T, Throwable> handler,
            long initialDelay,
            long period) {
        throw new UnsupportedOperationException(
                "the benchmark's enumerator is not started; callAsync is not expected");
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        runnable.run();
    }
}
