package io.zkmq.sink.writer;

import io.zkmq.queue.Record;
import io.zkmq.sink.committer.ZkmqCommittable;
import java.io.IOException;
import java.util.Collection;

/**
 * How a writer hands records on: appended as they come (none, at-least-once) or staged per
 * checkpoint.
 */
interface Delivery extends AutoCloseable {

    /**
     * Accepts one routed record; may block for buffer space. Throws an earlier asynchronous
     * failure.
     */
    void write(String queue, int partition, Record record) throws IOException;

    /** Called before a checkpoint (and at end of input). */
    void flush(boolean endOfInput) throws IOException;

    /** The transactions to commit for the checkpoint being taken (none unless exactly-once). */
    Collection<ZkmqCommittable> prepareCommit(long transactionCheckpointId) throws IOException;

    @Override
    void close();
}
