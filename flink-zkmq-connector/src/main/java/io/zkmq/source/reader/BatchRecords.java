package io.zkmq.source.reader;

import io.zkmq.queue.QueueRecord;
import java.util.List;
import java.util.Set;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;

/**
 * The records of one fetched batch (of one split), and the splits that finished with this fetch.
 * Records carry the position after them; the last one moves to the next batch.
 */
final class BatchRecords implements RecordsWithSplitIds<ZkmqSourceRecord> {
    private final String splitId;
    private final List<QueueRecord> records;
    private final long seq;
    private final long batchNextOffset;
    private final Set<String> finished;
    private int next;
    private boolean splitReturned;

    private BatchRecords(
            String splitId,
            List<QueueRecord> records,
            long seq,
            long batchNextOffset,
            Set<String> finished) {
        this.splitId = splitId;
        this.records = records;
        this.seq = seq;
        this.batchNextOffset = batchNextOffset;
        this.finished = finished;
    }

    static BatchRecords of(
            String splitId,
            List<QueueRecord> records,
            long seq,
            long batchNextOffset,
            Set<String> finished) {
        return new BatchRecords(splitId, records, seq, batchNextOffset, finished);
    }

    static BatchRecords finishedOnly(Set<String> finished) {
        return new BatchRecords(null, List.of(), -1, -1, finished);
    }

    @Override
    public String nextSplit() {
        if (splitReturned || splitId == null || records.isEmpty()) {
            return null;
        }
        splitReturned = true;
        return splitId;
    }

    @Override
    public ZkmqSourceRecord nextRecordFromSplit() {
        if (next >= records.size()) {
            return null;
        }
        QueueRecord r = records.get(next++);
        long nextOffset = r.offset() + 1;
        return new ZkmqSourceRecord(r, nextOffset >= batchNextOffset ? seq + 1 : seq, nextOffset);
    }

    @Override
    public Set<String> finishedSplits() {
        return finished;
    }
}
