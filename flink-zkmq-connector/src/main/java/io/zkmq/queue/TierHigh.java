package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.annotation.Internal;

/**
 * Where a partition's tier ends ({@link ZkmqPaths#tierHigh}): the first batch not yet in the tier
 * and its offset, the objects and bytes registered, and the partition byte position of the first
 * batch not in the tier ({@code nextBytes}: the last entry's {@code endBytes}). Changes only in the
 * same transaction as an index entry, so it always agrees with the entries.
 */
@Internal
public record TierHigh(long nextSeq, long nextOffset, long objects, long bytes, long nextBytes) {
    public static final TierHigh EMPTY = new TierHigh(0, 0, 0, 0, 0);
    static final PayloadFormat FORMAT = new PayloadFormat("tier high", 1);

    public TierHigh {
        if (nextSeq < 0 || nextOffset < 0 || objects < 0 || bytes < 0 || nextBytes < 0) {
            throw new IllegalArgumentException(
                    "tier high fields must not be negative: seq "
                            + nextSeq
                            + ", offset "
                            + nextOffset
                            + ", "
                            + objects
                            + " objects, "
                            + bytes
                            + " bytes, next byte position "
                            + nextBytes);
        }
    }

    /** After registering {@code entry}, the next object starts right after it. */
    public TierHigh plus(TierObjectEntry entry) {
        return new TierHigh(
                entry.lastSeq() + 1,
                entry.baseOffset() + entry.records(),
                objects + 1,
                bytes + entry.bytes(),
                entry.endBytes());
    }

    /** After retention deleted {@code entry}; the end stays where it is. */
    public TierHigh minus(TierObjectEntry entry) {
        return new TierHigh(
                nextSeq,
                nextOffset,
                Math.max(0, objects - 1),
                Math.max(0, bytes - entry.bytes()),
                nextBytes);
    }

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("nextSeq", nextSeq);
        n.put("nextOffset", nextOffset);
        n.put("objects", objects);
        n.put("bytes", bytes);
        n.put("nextBytes", nextBytes);
        return Json.write(n);
    }

    public static TierHigh fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        return new TierHigh(
                Json.requireLong(n, "nextSeq", path),
                Json.requireLong(n, "nextOffset", path),
                Json.requireLong(n, "objects", path),
                Json.requireLong(n, "bytes", path),
                Json.requireLong(n, "nextBytes", path));
    }
}
