package io.zkmq.queue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.apache.flink.annotation.Internal;

/**
 * The sparse index of a tier object: an entry for the first batch and every {@code
 * indexInterval}-th batch after it, so entry {@code i} is always batch {@code firstSeq + i *
 * indexInterval}. Immutable; lookups answer where to start reading.
 */
@Internal
public final class TierObjectIndex {
    private final TierObjectFooter footer;
    private final long[] baseOffsets;
    private final long[] maxTimestampsThrough;
    private final long[] positions;

    private TierObjectIndex(
            TierObjectFooter footer,
            long[] baseOffsets,
            long[] maxTimestampsThrough,
            long[] positions) {
        this.footer = footer;
        this.baseOffsets = baseOffsets;
        this.maxTimestampsThrough = maxTimestampsThrough;
        this.positions = positions;
    }

    /** The index bytes of {@code entries}, in order. */
    public static byte[] encode(List<TierIndexEntry> entries) {
        ByteBuffer b = ByteBuffer.allocate(entries.size() * TierObjectFormat.INDEX_ENTRY_SIZE);
        for (TierIndexEntry e : entries) {
            b.putLong(e.seq())
                    .putLong(e.baseOffset())
                    .putLong(e.maxTimestampThrough())
                    .putLong(e.position());
        }
        return b.array();
    }

    /**
     * Decodes and verifies the index of the object at {@code objectPath} against its footer:
     * length, CRC32C, then every entry (its seq follows from the interval; offsets and positions
     * increase strictly from the footer's base offset and 0; running maximum timestamps never
     * decrease and end at the footer's maximum).
     */
    public static TierObjectIndex decode(byte[] index, TierObjectFooter footer, String objectPath) {
        if (index.length != footer.indexLength()) {
            throw TierObjectFooter.corrupt(
                    objectPath,
                    "index has " + index.length + " bytes, footer says " + footer.indexLength());
        }
        int computed = TierObjectFooter.crc32c(index, 0, index.length);
        if (computed != footer.indexCrc()) {
            throw TierObjectFooter.corrupt(
                    objectPath,
                    String.format(
                            "index CRC32C mismatch (footer says 0x%08X, computed 0x%08X)",
                            footer.indexCrc(), computed));
        }
        int n = footer.indexEntries();
        long[] offsets = new long[n];
        long[] timestamps = new long[n];
        long[] positions = new long[n];
        ByteBuffer b = ByteBuffer.wrap(index);
        for (int i = 0; i < n; i++) {
            long seq = b.getLong();
            offsets[i] = b.getLong();
            timestamps[i] = b.getLong();
            positions[i] = b.getLong();
            long expectedSeq = footer.firstSeq() + (long) i * footer.indexInterval();
            boolean first = i == 0;
            if (seq != expectedSeq
                    || (first ? offsets[i] != footer.baseOffset() : offsets[i] <= offsets[i - 1])
                    || offsets[i] >= footer.nextOffset()
                    || (first ? positions[i] != 0 : positions[i] <= positions[i - 1])
                    || positions[i] >= footer.indexPosition()
                    || (!first && timestamps[i] < timestamps[i - 1])) {
                throw TierObjectFooter.corrupt(
                        objectPath,
                        "index entry "
                                + i
                                + " (seq "
                                + seq
                                + ", offset "
                                + offsets[i]
                                + ", max timestamp "
                                + timestamps[i]
                                + ", position "
                                + positions[i]
                                + ") is out of order for batch "
                                + expectedSeq);
            }
        }
        if (timestamps[n - 1] != footer.maxTimestamp()) {
            throw TierObjectFooter.corrupt(
                    objectPath,
                    "last index entry's max timestamp "
                            + timestamps[n - 1]
                            + " is not the footer's "
                            + footer.maxTimestamp());
        }
        return new TierObjectIndex(footer, offsets, timestamps, positions);
    }

    public TierObjectFooter footer() {
        return footer;
    }

    public int size() {
        return positions.length;
    }

    public TierIndexEntry entry(int i) {
        return new TierIndexEntry(
                footer.firstSeq() + (long) i * footer.indexInterval(),
                baseOffsets[i],
                maxTimestampsThrough[i],
                positions[i]);
    }

    /**
     * The entry to start reading at to find batch {@code seq}; empty if the object does not hold
     * it.
     */
    public Optional<TierIndexEntry> floorBySeq(long seq) {
        if (seq < footer.firstSeq() || seq > footer.lastSeq()) {
            return Optional.empty();
        }
        return Optional.of(entry((int) ((seq - footer.firstSeq()) / footer.indexInterval())));
    }

    /**
     * The entry to start reading at to find the record at {@code offset}; empty if the object does
     * not hold it.
     */
    public Optional<TierIndexEntry> floorByOffset(long offset) {
        if (offset < footer.baseOffset() || offset >= footer.nextOffset()) {
            return Optional.empty();
        }
        int lo = 0;
        int hi = baseOffsets.length - 1;
        while (lo < hi) { // last entry with baseOffset <= offset
            int mid = (lo + hi + 1) >>> 1;
            if (baseOffsets[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.of(entry(lo));
    }

    /**
     * The entry to start reading at to find the first batch whose max timestamp is at least {@code
     * timestamp} (the first batch that may hold a record at or after it, as the ZooKeeper reader
     * positions today); empty if no record of the object is that late. The batch is in this entry's
     * group: no earlier batch reaches the timestamp, since the running maximum before this entry
     * does not.
     */
    public Optional<TierIndexEntry> firstReaching(long timestamp) {
        if (timestamp > footer.maxTimestamp()) {
            return Optional.empty();
        }
        int lo = 0;
        int hi = maxTimestampsThrough.length - 1;
        while (lo < hi) { // first entry with maxTimestampThrough >= timestamp
            int mid = (lo + hi) >>> 1;
            if (maxTimestampsThrough[mid] >= timestamp) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return Optional.of(entry(lo));
    }
}
