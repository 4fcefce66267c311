package io.zkmq.source.reader;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

/**
 * The reader's metrics. Standard ones on the operator group ({@code pendingRecords}, {@code
 * currentFetchEventTimeLag}, {@code numRecordsInErrors}); ZKMQ's own under the {@code zkmq} group:
 * commits succeeded and failed, ownership losses, lock waits (how many partitions wait, for how
 * long in total, and who holds them) and out-of-range resets.
 */
final class ZkmqSourceReaderMetrics {
    static final String GROUP = "zkmq";

    private final SourceReaderMetricGroup operator;
    private final Counter commitsSucceeded;
    private final Counter commitsFailed;
    private final Counter ownershipLosses;
    private final Counter outOfRangeResets;
    private final AtomicLong lockWaitMillis = new AtomicLong();
    private final Map<String, String> holdersByWaitingSplit = new ConcurrentHashMap<>();
    private volatile long fetchEventTimeLag = -1;

    ZkmqSourceReaderMetrics(SourceReaderMetricGroup operator) {
        this.operator = operator;
        MetricGroup zkmq = operator.addGroup(GROUP);
        this.commitsSucceeded = zkmq.counter("commitsSucceeded");
        this.commitsFailed = zkmq.counter("commitsFailed");
        this.ownershipLosses = zkmq.counter("ownershipLosses");
        this.outOfRangeResets = zkmq.counter("outOfRangeResets");
        zkmq.gauge("lockWaitTimeMs", (Gauge<Long>) lockWaitMillis::get);
        zkmq.gauge("locksWaiting", (Gauge<Integer>) holdersByWaitingSplit::size);
        zkmq.gauge(
                "lockHolders",
                (Gauge<String>) () -> new java.util.TreeMap<>(holdersByWaitingSplit).toString());
        operator.gauge("currentFetchEventTimeLag", (Gauge<Long>) () -> fetchEventTimeLag);
    }

    void registerPendingRecords(LongSupplier pending) {
        operator.setPendingRecordsGauge(pending::getAsLong);
    }

    Counter recordsInErrors() {
        return operator.getNumRecordsInErrorsCounter();
    }

    void commitSucceeded() {
        commitsSucceeded.inc();
    }

    void commitFailed() {
        commitsFailed.inc();
    }

    void ownershipLost() {
        ownershipLosses.inc();
    }

    void outOfRangeReset() {
        outOfRangeResets.inc();
    }

    void waiting(String splitId, String holder, long waitedMillisSinceLast) {
        holdersByWaitingSplit.put(splitId, holder);
        lockWaitMillis.addAndGet(waitedMillisSinceLast);
    }

    void doneWaiting(String splitId, long waitedMillisSinceLast) {
        holdersByWaitingSplit.remove(splitId);
        lockWaitMillis.addAndGet(waitedMillisSinceLast);
    }

    /** Fetch time minus the newest record timestamp of the batch just fetched. */
    void fetched(long maxTimestamp) {
        fetchEventTimeLag = Math.max(0, System.currentTimeMillis() - maxTimestamp);
    }
}
