package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The append end of a partition: the next batch number, the next record offset and the bytes
 * appended so far. Changes only in the same transaction as a batch, so it is always consistent.
 */
public record PartitionHead(long nextSeq, long nextOffset, long nextBytes) {
    public static final PartitionHead EMPTY = new PartitionHead(0, 0, 0);

    public PartitionHead advance(int records, int bytes) {
        return new PartitionHead(nextSeq + 1, nextOffset + records, nextBytes + bytes);
    }

    public byte[] toJson() {
        ObjectNode n = Json.object();
        n.put("nextSeq", nextSeq);
        n.put("nextOffset", nextOffset);
        n.put("nextBytes", nextBytes);
        return Json.write(n);
    }

    public static PartitionHead fromJson(byte[] data, String path) {
        JsonNode n = Json.read(data, path);
        return new PartitionHead(
                Json.requireLong(n, "nextSeq", path), Json.requireLong(n, "nextOffset", path), Json.requireLong(n, "nextBytes", path));
    }
}
