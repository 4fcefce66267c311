package io.zkmq.examples;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per customer, the running count and total of its purchases (keyed state, so it is exactly once
 * through checkpoints): emits {@code customer,seq,amount,count,total} for every event.
 */
final class RunningTotals extends KeyedProcessFunction<String, Event, String> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<Long> count;
    private transient ValueState<Long> total;

    @Override
    public void open(OpenContext context) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        total = getRuntimeContext().getState(new ValueStateDescriptor<>("total", Types.LONG));
    }

    @Override
    public void processElement(Event e, Context context, Collector<String> out) throws Exception {
        long n = (count.value() == null ? 0 : count.value()) + 1;
        long sum = (total.value() == null ? 0 : total.value()) + e.amount();
        count.update(n);
        total.update(sum);
        out.collect(e.text() + "," + n + "," + sum);
    }
}
