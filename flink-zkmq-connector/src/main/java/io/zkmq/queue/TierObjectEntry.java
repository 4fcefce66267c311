package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkmq.error.InvalidConfigException;
import org.apache.flink.annotation.Internal;

/**
 * The ZooKeeper index entry of one tier object ({@link ZkmqPaths#tierEntry}): where the object is,
 * relative to the tier root, and what it holds, so a reader picks the object for a seq, offset or
 * timestamp without opening it. {@code footerCrc} is the CRC32C of the object's footer (unsigned):
 * it pins the footer, which pins the index, whose batches carry their own CRCs, so a reader can
 * tell that the object it opened is the one registered. {@code startBytes} and {@code endBytes} are
 * the partition byte positions (the {@code bytes} counter of head, low and segment info) of the
 * object's first batch and of the batch after its last, for retention by bytes; they differ from
 * the object's length because reference batches are small in ZooKeeper and materialized in the
 * object. Written by the client's tier offload.
 */
@Internal
public record TierObjectEntry(
        String path,
        long firstSeq,
        long lastSeq,
        long baseOffset,
        long records,
        long bytes,
        long minTs,
        long maxTs,
        long footerCrc,
        long startBytes,
        long endBytes) {
    static final PayloadFormat FORMAT = new PayloadFormat("tier object entry", 1);

    public TierObjectEntry {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException(
                    "tier object path must be relative to the tier root, got '" + path + "'");
        }
        if (firstSeq < 0
                || lastSeq < firstSeq
                || baseOffset < 0
                || records < lastSeq - firstSeq + 1) {
            throw new IllegalArgumentException(
                    "tier object "
                            + path
                            + ": seq "
                            + firstSeq
                            + ".."
                            + lastSeq
                            + ", base offset "
                            + baseOffset
                            + ", "
                            + records
                            + " records do not describe at least one record per batch");
        }
        if (bytes < TierObjectFormat.FOOTER_SIZE
                || minTs > maxTs
                || footerCrc < 0
                || footerCrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(
                    "tier object "
                            + path
                            + ": "
                            + bytes
                            + " bytes, timestamps "
                            + minTs
                            + ".."
                            + maxTs
                            + ", footer CRC "
                            + footerCrc
                            + " out of range");
        }
        if (startBytes < 0 || endBytes < startBytes) {
            throw new IllegalArgumentException(
                    "tier object "
                            + path
                            + ": partition byte positions "
                            + startBytes
                            + ".."
                            + endBytes
                            + " must not be negative or decrease");
        }
    }

    /**
     * The entry of an object written at {@code path} (relative to the tier root) with {@code
     * footer}, holding the partition's bytes {@code [startBytes, endBytes)}.
     */
    public static TierObjectEntry of(
            String path, TierObjectFooter footer, long startBytes, long endBytes) {
        return new TierObjectEntry(
                path,
                footer.firstSeq(),
                footer.lastSeq(),
                footer.baseOffset(),
                footer.recordCount(),
                footer.objectLength(),
                footer.minTimestamp(),
                footer.maxTimestamp(),
                Integer.toUnsignedLong(footer.crc()),
                startBytes,
                endBytes);
    }

    /** Whether {@code footer}, read from the object, is the one this entry registered. */
    public boolean matches(TierObjectFooter footer) {
        return Integer.toUnsignedLong(footer.crc()) == footerCrc
                && footer.firstSeq() == firstSeq
                && footer.lastSeq() == lastSeq
                && footer.objectLength() == bytes;
    }

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("path", path);
        n.put("firstSeq", firstSeq);
        n.put("lastSeq", lastSeq);
        n.put("baseOffset", baseOffset);
        n.put("records", records);
        n.put("bytes", bytes);
        n.put("minTs", minTs);
        n.put("maxTs", maxTs);
        n.put("footerCrc", footerCrc);
        n.put("startBytes", startBytes);
        n.put("endBytes", endBytes);
        return Json.write(n);
    }

    public static TierObjectEntry fromJson(byte[] data, String znode) {
        JsonNode n = FORMAT.read(data, znode);
        try {
            return new TierObjectEntry(
                    Json.requireText(n, "path", znode),
                    Json.requireLong(n, "firstSeq", znode),
                    Json.requireLong(n, "lastSeq", znode),
                    Json.requireLong(n, "baseOffset", znode),
                    Json.requireLong(n, "records", znode),
                    Json.requireLong(n, "bytes", znode),
                    Json.requireLong(n, "minTs", znode),
                    Json.requireLong(n, "maxTs", znode),
                    Json.requireLong(n, "footerCrc", znode),
                    Json.requireLong(n, "startBytes", znode),
                    Json.requireLong(n, "endBytes", znode));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(
                    "Znode " + znode + " holds an invalid tier object entry: " + e.getMessage(), e);
        }
    }
}
