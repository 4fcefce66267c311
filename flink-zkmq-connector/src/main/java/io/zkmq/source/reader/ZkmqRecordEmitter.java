package io.zkmq.source.reader;

import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.QueueRecord;
import io.zkmq.source.ZkmqRecordDeserializationSchema;
import io.zkmq.source.split.ZkmqSplitState;
import java.io.IOException;
import java.util.Optional;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deserializes a record, emits the values with the record's timestamp as event time, and moves the
 * split state past the record. A record that fails to deserialize fails the job, naming its
 * position, unless the user chose to skip such records (then counted in numRecordsInErrors).
 *
 * <p>Emitting a value runs the operators chained after the source on this thread, so their failures
 * surface inside the deserializer's call. They are marked on the way out and rethrown unchanged:
 * only the deserializer's own failures are deserialization errors (reported or skipped).
 */
final class ZkmqRecordEmitter<T> implements RecordEmitter<ZkmqSourceRecord, T, ZkmqSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqRecordEmitter.class);

    private final ZkmqRecordDeserializationSchema<T> deserializer;
    private final boolean skipErrors;
    private final Counter recordsInErrors;
    private final TimestampedCollector<T> collector = new TimestampedCollector<>();

    ZkmqRecordEmitter(
            ZkmqRecordDeserializationSchema<T> deserializer,
            boolean skipErrors,
            Counter recordsInErrors) {
        this.deserializer = deserializer;
        this.skipErrors = skipErrors;
        this.recordsInErrors = recordsInErrors;
    }

    @Override
    public void emitRecord(ZkmqSourceRecord element, SourceOutput<T> output, ZkmqSplitState state)
            throws Exception {
        QueueRecord record = element.record();
        collector.output = output;
        collector.timestamp = record.timestamp();
        try {
            deserializer.deserialize(record, collector);
        } catch (Exception e) {
            // Also when the deserializer wrapped it: a downstream failure is never the record's
            // fault.
            Optional<DownstreamFailure> downstream =
                    ExceptionUtils.findThrowable(e, DownstreamFailure.class);
            if (downstream.isPresent()) {
                throw downstream.get().failure;
            }
            if (!skipErrors) {
                throw new IOException(
                        "Cannot deserialize the record at offset "
                                + record.offset()
                                + " of "
                                + new QueuePartition(record.queue(), record.partition())
                                + ": "
                                + e.getMessage()
                                + " (set 'deserialization.skip-errors' to skip such records)",
                        e);
            }
            recordsInErrors.inc();
            LOG.debug("Skipped undeserializable record {}", record, e);
        }
        state.advanceTo(element.nextSeq(), element.nextOffset());
    }

    private static final class TimestampedCollector<T> implements Collector<T> {
        SourceOutput<T> output;
        long timestamp;

        @Override
        public void collect(T value) {
            try {
                output.collect(value, timestamp);
            } catch (Exception e) {
                throw new DownstreamFailure(e);
            }
        }

        @Override
        public void close() {}
    }

    /** Carries a failure of the operators after the source through the deserializer. */
    private static final class DownstreamFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Exception failure;

        DownstreamFailure(Exception failure) {
            super(null, failure, false, false);
            this.failure = failure;
        }
    }
}
