package io.zkmq.client;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.queue.QueuePartition;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Detects a staged batch referenced a second time in one partition (docs/format.md, "One reference
 * per staged batch"). The committer references the staged batches {@code <txn>.<attempt>.<i>} of
 * one attempt once each, in index order, at increasing batch numbers. So, per attempt, the indices
 * a reader meets form a contiguous rising run: an index already in the run is a second reference
 * (its first batch number is known), and an index below the run is one too, whose first reference
 * came before the reader's start. Nothing in the format maps a staged batch back to its reference,
 * so a second reference is found only while its attempt is remembered: the attempts of the most
 * recent {@value #MAX_REMEMBERED} references this reader parsed since it was positioned.
 *
 * <p>Thread-safe; {@link #forgetFrom} on a re-positioning keeps a re-read from meeting itself.
 */
final class StagedReferences {
    static final int MAX_REMEMBERED = 4096;

    private final QueuePartition where;

    /** Attempt key ({@code <txn>.<attempt>}) to its run, least recently used first. */
    private final LinkedHashMap<String, Run> runs = new LinkedHashMap<>(16, 0.75f, true);

    private int remembered;

    StagedReferences(QueuePartition where) {
        this.where = where;
    }

    /**
     * Staged batch indices {@code first, first+1, ...} of one attempt and the batch numbers that
     * referenced them.
     */
    private static final class Run {
        final int first;
        long[] seqs = new long[4];
        int count;

        Run(int first) {
            this.first = first;
        }
    }

    /**
     * Records that reference batch {@code seq} (at {@code path}) stands for {@code stagedPath}.
     *
     * @throws CorruptBatchException if that staged batch was referenced by another batch number
     */
    synchronized void record(long seq, String path, String stagedPath) {
        String name = stagedPath.substring(stagedPath.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        int parsed = dot < 0 ? -1 : parseIndex(name.substring(dot + 1));
        // A name not of the committer's form is checked by its whole path alone.
        String key =
                parsed < 0
                        ? stagedPath
                        : stagedPath.substring(0, stagedPath.length() - name.length() + dot);
        int index = Math.max(parsed, 0);
        Run run = runs.get(key);
        if (run == null || index > run.first + run.count) {
            // New attempt, or a gap (not a duplicate; the run restarts here).
            if (run != null) {
                remembered -= run.count;
            }
            run = new Run(index);
            runs.put(key, run);
        } else if (index < run.first + run.count) {
            long first = index >= run.first ? run.seqs[index - run.first] : -1;
            if (first == seq) {
                return; // the same batch parsed again
            }
            throw new CorruptBatchException(
                    "Batch "
                            + seq
                            + " of "
                            + where
                            + " at "
                            + path
                            + " references staged batch "
                            + stagedPath
                            + ", which was referenced a second time ("
                            + (first >= 0
                                    ? "first by seq " + first
                                    : "its index "
                                            + index
                                            + " is below index "
                                            + run.first
                                            + " of the same transaction attempt,"
                                            + " referenced by seq "
                                            + run.seqs[0]
                                            + ", so its first reference came earlier")
                            + "). A committed staged batch is referenced exactly once; the queue is corrupt (written by a faulty"
                            + " or foreign writer)");
        }
        if (run.count == run.seqs.length) {
            run.seqs = Arrays.copyOf(run.seqs, run.count * 2);
        }
        run.seqs[run.count++] = seq;
        remembered++;
        evict();
    }

    /**
     * Forgets the references of batch {@code seq} and later: the reader reads from {@code seq}
     * again.
     */
    synchronized void forgetFrom(long seq) {
        for (Iterator<Run> it = runs.values().iterator(); it.hasNext(); ) {
            Run run = it.next();
            int keep = 0;
            while (keep < run.count && run.seqs[keep] < seq) {
                keep++;
            }
            remembered -= run.count - keep;
            run.count = keep;
            if (keep == 0) {
                it.remove();
            }
        }
    }

    private void evict() {
        for (Iterator<Map.Entry<String, Run>> it = runs.entrySet().iterator();
                remembered > MAX_REMEMBERED && it.hasNext(); ) {
            remembered -= it.next().getValue().count;
            it.remove();
        }
    }

    private static int parseIndex(String digits) {
        if (digits.isEmpty()
                || digits.length() > 9
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(digits);
    }
}
