package io.zkmq.hashing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;

/**
 * Assigns splits to readers so that every reader holds floor(P/R) or ceil(P/R) of the P splits and
 * every change moves the fewest splits any such balanced assignment can.
 *
 * <p>The algorithm (sticky balanced rendezvous):
 *
 * <ol>
 *   <li><b>Quotas.</b> q = P div R, r = P mod R. Every reader may hold q splits; the r "+1" slots
 *       go to the readers already holding the most, counting only splits that still exist and whose
 *       previous owner is still a reader (ties: earlier in reader order).
 *   <li><b>Keep.</b> Each split stays with its previous owner up to that owner's quota; an owner
 *       over quota sheds its lowest-scoring splits.
 *   <li><b>Place.</b> New, shed and orphaned splits, sorted by split hash (unsigned) then id, each
 *       go to the under-quota reader with the highest score (ties: earlier in reader order).
 * </ol>
 *
 * <p>Hashes are xxh3_64 of the UTF-8 ids; the score of a (split, reader) pair is MurmurHash3's
 * {@code fmix64(splitHash ^ rotateLeft(readerHash, 1))} compared unsigned.
 *
 * <p>The result depends only on the sets of splits and readers, the previous owners and the reader
 * order: input order and duplicates do not matter, and nothing uses {@code Object.hashCode}, {@code
 * HashMap} iteration order or the clock. With no readers every split is left unassigned.
 *
 * <p>Immutable and thread-safe.
 */
@Internal
public final class StickyBalancedAssigner {

    private static final StickyBalancedAssigner NATURAL =
            new StickyBalancedAssigner(Comparator.naturalOrder());
    private static final StickyBalancedAssigner NUMERIC =
            new StickyBalancedAssigner(NumericReaderOrder.INSTANCE);

    private final Comparator<String> readerOrder;

    private StickyBalancedAssigner(Comparator<String> readerOrder) {
        // Ids equal under the given order fall back to string order, so reader order is total.
        this.readerOrder = readerOrder.thenComparing(Comparator.naturalOrder());
    }

    /** An assigner that breaks ties by reader id in String natural order. */
    public static StickyBalancedAssigner naturalOrder() {
        return NATURAL;
    }

    /**
     * An assigner for readers whose ids are decimal integers, such as Flink subtask indices, which
     * breaks ties by numeric value ({@code "2"} before {@code "10"}). {@link #assign} throws {@link
     * IllegalArgumentException} for a reader id that is not a decimal integer.
     */
    public static StickyBalancedAssigner numericOrder() {
        return NUMERIC;
    }

    /**
     * An assigner that breaks ties by {@code readerOrder}, then by String natural order. The
     * comparator must be deterministic (not based on {@code Object.hashCode} or identity).
     */
    public static StickyBalancedAssigner withReaderOrder(Comparator<String> readerOrder) {
        return new StickyBalancedAssigner(
                Objects.requireNonNull(readerOrder, "readerOrder must not be null"));
    }

    /**
     * Computes the assignment of {@code splits} to {@code readers}.
     *
     * @param splits the split ids that exist now, in any order, duplicates ignored
     * @param readers the reader ids that exist now, in any order, duplicates ignored; when empty,
     *     every split is returned unassigned
     * @param previousOwnerBySplit the previous owner of each split; entries for splits or readers
     *     that no longer exist are ignored
     * @throws NullPointerException if an argument or an id in {@code splits} or {@code readers} is
     *     null
     */
    public Assignment assign(
            Collection<String> splits,
            List<String> readers,
            Map<String, String> previousOwnerBySplit) {
        Objects.requireNonNull(previousOwnerBySplit, "previousOwnerBySplit must not be null");
        SortedSet<String> splitSet = distinctIds(splits, "splits");
        List<String> readerList = orderedReaders(readers);
        if (readerList.isEmpty()) {
            return new Assignment(splitSet, new TreeMap<>());
        }

        int numReaders = readerList.size();
        Map<String, Integer> indexByReader = new HashMap<>(); // lookups only, never iterated
        long[] readerHash = new long[numReaders];
        List<List<HashedId>> held = new ArrayList<>(numReaders);
        for (int i = 0; i < numReaders; i++) {
            indexByReader.put(readerList.get(i), i);
            readerHash[i] = RendezvousScore.idHash(readerList.get(i));
            held.add(new ArrayList<>());
        }

        List<HashedId> toPlace = new ArrayList<>();
        for (String split : splitSet) {
            HashedId hashed = new HashedId(split, RendezvousScore.idHash(split));
            String previous = previousOwnerBySplit.get(split);
            Integer owner = previous == null ? null : indexByReader.get(previous);
            if (owner == null) {
                toPlace.add(hashed); // new, or its owner left
            } else {
                held.get(owner).add(hashed);
            }
        }

        int[] quota = SplitQuotas.of(splitSet.size(), held.stream().mapToInt(List::size).toArray());
        int[] count = new int[numReaders];
        long evaluations = 0;
        SortedMap<String, String> ownerBySplit = new TreeMap<>();
        for (int i = 0; i < numReaders; i++) {
            List<HashedId> mine = held.get(i);
            int keep = Math.min(quota[i], mine.size());
            if (keep < mine.size()) {
                // Only an owner over quota needs its splits ranked; each score is computed once.
                long ownHash = readerHash[i];
                List<ScoredId> ranked = new ArrayList<>(mine.size());
                for (HashedId split : mine) {
                    ranked.add(new ScoredId(split, RendezvousScore.score(split.hash(), ownHash)));
                }
                evaluations += mine.size();
                ranked.sort(
                        Comparator.comparing(ScoredId::score, (a, b) -> Long.compareUnsigned(b, a))
                                .thenComparing(s -> s.split().id()));
                mine = ranked.stream().map(ScoredId::split).toList();
            }
            for (HashedId split : mine.subList(0, keep)) {
                ownerBySplit.put(split.id(), readerList.get(i));
            }
            toPlace.addAll(mine.subList(keep, mine.size()));
            count[i] = keep;
        }

        toPlace.sort(
                Comparator.comparing(HashedId::hash, Long::compareUnsigned)
                        .thenComparing(HashedId::id));
        int withRoom = 0; // readers under quota: the scores each placement computes
        for (int i = 0; i < numReaders; i++) {
            withRoom += count[i] < quota[i] ? 1 : 0;
        }
        for (HashedId split : toPlace) {
            int best = bestUnderQuota(split.hash(), readerHash, count, quota);
            evaluations += withRoom;
            ownerBySplit.put(split.id(), readerList.get(best));
            if (++count[best] == quota[best]) {
                withRoom--;
            }
        }
        return new Assignment(splitSet, ownerBySplit, evaluations);
    }

    /** The under-quota reader with the highest score; ties go to the earlier reader. */
    private static int bestUnderQuota(long splitHash, long[] readerHash, int[] count, int[] quota) {
        int best = -1;
        long bestScore = 0;
        for (int i = 0; i < readerHash.length; i++) {
            if (count[i] < quota[i]) {
                long score = RendezvousScore.score(splitHash, readerHash[i]);
                if (best < 0 || Long.compareUnsigned(score, bestScore) > 0) {
                    best = i;
                    bestScore = score;
                }
            }
        }
        // Quotas sum to the number of splits, so a split to place always finds room.
        if (best < 0) {
            throw new IllegalStateException(
                    "no reader under quota; quotas do not sum to the split count");
        }
        return best;
    }

    private List<String> orderedReaders(List<String> readers) {
        SortedSet<String> distinct = distinctIds(readers, "readers");
        for (String reader : distinct) {
            // Lets an order that rejects ids (numericOrder) do so even for a single reader.
            readerOrder.compare(reader, reader);
        }
        List<String> ordered = new ArrayList<>(distinct);
        ordered.sort(readerOrder);
        return ordered;
    }

    private static SortedSet<String> distinctIds(Collection<String> ids, String what) {
        Objects.requireNonNull(ids, what + " must not be null");
        SortedSet<String> distinct = new TreeSet<>();
        for (String id : ids) {
            distinct.add(Objects.requireNonNull(id, what + " must not contain null ids"));
        }
        return distinct;
    }

    @Override
    public String toString() {
        return "StickyBalancedAssigner{readerOrder=" + readerOrder + '}';
    }

    /** A split id with its hash, computed once. */
    private record HashedId(String id, long hash) {}

    /** A held split with its score on its owner, for ranking. */
    private record ScoredId(HashedId split, long score) {}
}
