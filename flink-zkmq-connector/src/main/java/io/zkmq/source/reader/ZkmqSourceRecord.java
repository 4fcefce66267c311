package io.zkmq.source.reader;

import io.zkmq.queue.QueueRecord;

/**
 * A fetched record plus the position just after it (batch and offset), which the emitter records in
 * the split state.
 */
record ZkmqSourceRecord(QueueRecord record, long nextSeq, long nextOffset) {}
