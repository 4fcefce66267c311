package io.zkmq.bench;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * A pass-through map that records, per subtask, how many records it saw and when it saw the first
 * and the last one. The accumulators merge to the total count, the earliest first and the latest
 * last record; {@code nanoTime} values are comparable with the scenario's own because every subtask
 * of the benchmarks' local MiniCluster runs in this JVM.
 */
final class RecordClock extends RichMapFunction<byte[], byte[]> {
    private static final long serialVersionUID = 1L;

    private static final String RECORDS = "records";
    private static final String FIRST_RECORD_NANOS = "first-record-nanos";
    private static final String LAST_RECORD_NANOS = "last-record-nanos";

    /** What the clock saw over the whole job. */
    record Span(long records, long firstNanos, long lastNanos) {
        static Span of(JobExecutionResult result) {
            return new Span(
                    result.<Long>getAccumulatorResult(RECORDS),
                    result.<Long>getAccumulatorResult(FIRST_RECORD_NANOS),
                    result.<Long>getAccumulatorResult(LAST_RECORD_NANOS));
        }
    }

    private transient LongCounter count;
    private transient LongMinimum first;
    private transient LongMaximum last;

    @Override
    public void open(OpenContext openContext) {
        count = new LongCounter();
        first = new LongMinimum();
        last = new LongMaximum();
        getRuntimeContext().addAccumulator(RECORDS, count);
        getRuntimeContext().addAccumulator(FIRST_RECORD_NANOS, first);
        getRuntimeContext().addAccumulator(LAST_RECORD_NANOS, last);
    }

    @Override
    public byte[] map(byte[] value) {
        long now = System.nanoTime();
        if (count.getLocalValuePrimitive() == 0) {
            first.add(now);
        }
        last.add(now);
        count.add(1L);
        return value;
    }
}
