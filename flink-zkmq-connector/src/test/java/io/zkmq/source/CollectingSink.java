package io.zkmq.source;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that appends "subtask|value" to a static list per test key, so a test can watch an
 * unbounded or savepointed job's output while it runs (MiniCluster runs in this JVM).
 */
final class CollectingSink implements Sink<String> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, List<String>> RESULTS = new ConcurrentHashMap<>();

    private final String key;

    CollectingSink(String key) {
        this.key = key;
        RESULTS.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
    }

    static List<String> results(String key) {
        return RESULTS.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
    }

    /** The values without their subtask prefix. */
    static List<String> values(String key) {
        return results(key).stream().map(s -> s.substring(s.indexOf('|') + 1)).toList();
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) {
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        List<String> out = results(key);
        return new SinkWriter<>() {
            @Override
            public void write(String element, Context ctx) {
                out.add(subtask + "|" + element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
