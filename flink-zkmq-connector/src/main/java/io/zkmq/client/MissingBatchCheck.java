package io.zkmq.client;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.TierHigh;
import io.zkmq.queue.ZkmqPaths;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Why a batch (or the staged batch of a reference) is not in ZooKeeper, read asynchronously from
 * the partition's {@code low} and {@code tierHigh}: trimmed by retention ({@code seq < low}),
 * offloaded to the tier and deleted there by hot trim ({@code low <= seq < tierHigh.nextSeq}), or
 * not written yet. {@code tierHigh} is read after the miss, so it already shows every object
 * registered before the batch was deleted (hot trim deletes only registered batches).
 */
final class MissingBatchCheck {
    /** The answer; exactly one of its cases. */
    sealed interface Verdict {}

    /** Below {@code low}: gone for good. */
    record Trimmed(OffsetOutOfRangeException error) implements Verdict {}

    /** In the tier, which ends at {@code high.nextSeq}. */
    record InTier(TierHigh high) implements Verdict {}

    /** Above the tier and not in ZooKeeper: not written yet. */
    record NotWritten() implements Verdict {}

    /** The partition (or queue) is gone, or a read failed: the error says which. */
    record Failed(ZkmqException error, boolean connectionTrouble) implements Verdict {}

    private MissingBatchCheck() {}

    static void check(
            CuratorFramework curator, QueuePartition where, long seq, Consumer<Verdict> then) {
        String lowPath = ZkmqPaths.low(where.queue(), where.partition());
        try {
            curator.getData()
                    .inBackground(
                            (c, e) -> {
                                KeeperException.Code code =
                                        KeeperException.Code.get(e.getResultCode());
                                if (code == KeeperException.Code.NONODE) {
                                    then.accept(
                                            new Failed(
                                                    new QueueNotFoundException(
                                                            "Queue '"
                                                                    + where.queue()
                                                                    + "' partition "
                                                                    + where.partition()
                                                                    + " no longer exists (no znode "
                                                                    + lowPath
                                                                    + ")"),
                                                    false));
                                } else if (code != KeeperException.Code.OK) {
                                    then.accept(failed(code, lowPath, where));
                                } else {
                                    PartitionLow low = PartitionLow.fromJson(e.getData(), lowPath);
                                    if (seq < low.lowSeq()) {
                                        then.accept(new Trimmed(trimmed(where, seq, low)));
                                    } else {
                                        checkTier(curator, where, seq, then);
                                    }
                                }
                            })
                    .forPath(lowPath);
        } catch (Exception e) {
            then.accept(new Failed(new ZkmqException("Cannot read " + lowPath, e), false));
        }
    }

    private static void checkTier(
            CuratorFramework curator, QueuePartition where, long seq, Consumer<Verdict> then)
            throws Exception {
        String highPath = ZkmqPaths.tierHigh(where.queue(), where.partition());
        curator.getData()
                .inBackground(
                        (c, e) -> {
                            KeeperException.Code code = KeeperException.Code.get(e.getResultCode());
                            if (code == KeeperException.Code.NONODE) {
                                then.accept(new NotWritten()); // nothing was ever offloaded
                            } else if (code != KeeperException.Code.OK) {
                                then.accept(failed(code, highPath, where));
                            } else {
                                TierHigh high = TierHigh.fromJson(e.getData(), highPath);
                                then.accept(
                                        seq < high.nextSeq() ? new InTier(high) : new NotWritten());
                            }
                        })
                .forPath(highPath);
    }

    private static Failed failed(KeeperException.Code code, String path, QueuePartition where) {
        return new Failed(
                io.zkmq.error.ZkErrors.translate(code, path, "fetching " + where, null),
                io.zkmq.error.ZkErrors.isRetriable(code));
    }

    static OffsetOutOfRangeException trimmed(QueuePartition where, long seq, PartitionLow low) {
        return new OffsetOutOfRangeException(
                "batch "
                        + seq
                        + " of "
                        + where
                        + " was trimmed by retention; the earliest readable offset is "
                        + low.lowOffset()
                        + " (batch "
                        + low.lowSeq()
                        + ")");
    }

    static CorruptBatchException missingStaged(QueuePartition where, long seq, String stagedPath) {
        return new CorruptBatchException(
                "Batch "
                        + seq
                        + " of "
                        + where
                        + " references staged batch "
                        + stagedPath
                        + ", which does not exist");
    }

    static CorruptBatchException unreadableStaged(
            QueuePartition where, long seq, String stagedPath, Exception e) {
        return new CorruptBatchException(
                "Batch "
                        + seq
                        + " of "
                        + where
                        + " references an unreadable staged batch path '"
                        + stagedPath
                        + "': "
                        + e.getMessage());
    }
}
