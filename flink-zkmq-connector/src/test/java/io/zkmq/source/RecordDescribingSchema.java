package io.zkmq.source;

import io.zkmq.queue.QueueRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/** Emits "queue/partition/offset/value" so tests can see where every record came from. */
final class RecordDescribingSchema implements ZkmqRecordDeserializationSchema<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(QueueRecord record, Collector<String> out) {
        out.collect(
                record.queue()
                        + "/"
                        + record.partition()
                        + "/"
                        + record.offset()
                        + "/"
                        + record.valueAsString());
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
