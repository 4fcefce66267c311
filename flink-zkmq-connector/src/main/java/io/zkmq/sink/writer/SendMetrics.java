package io.zkmq.sink.writer;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/** The standard sink writer metrics, fed by both deliveries. */
final class SendMetrics {
    private final Counter records;
    private final Counter bytes;
    private final Counter errors;
    private volatile long lastSendTimeMs;

    SendMetrics(SinkWriterMetricGroup group) {
        this.records = group.getNumRecordsSendCounter();
        this.bytes = group.getNumBytesSendCounter();
        this.errors = group.getNumRecordsOutErrorsCounter();
        group.setCurrentSendTimeGauge(() -> lastSendTimeMs);
    }

    void sent(long recordCount, long byteCount, long sendTimeMs) {
        records.inc(recordCount);
        bytes.inc(byteCount);
        lastSendTimeMs = sendTimeMs;
    }

    void failed() {
        errors.inc();
    }
}
