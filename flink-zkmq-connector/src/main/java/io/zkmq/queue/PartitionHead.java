package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The append end of a partition: the next batch number, the next record offset and the bytes
 * appended so far. Changes only in the same transaction as a batch, so it is always consistent.
 */
@PublicEvolving
public record PartitionHead(long nextSeq, long nextOffset, long nextBytes) {
    public static final PartitionHead EMPTY = new PartitionHead(0, 0, 0);
    static final PayloadFormat FORMAT = new PayloadFormat("partition head", 1);
    private static final String PREFIX =
            "{\"" + PayloadFormat.FIELD + "\":" + FORMAT.version() + ",\"nextSeq\":";

    public PartitionHead advance(int records, int bytes) {
        return new PartitionHead(nextSeq + 1, nextOffset + records, nextBytes + bytes);
    }

    /**
     * Written by hand, not through a Jackson tree: every append rewrites the head. Same bytes as
     * Jackson's.
     */
    public byte[] toJson() {
        return (PREFIX
                        + nextSeq
                        + ",\"nextOffset\":"
                        + nextOffset
                        + ",\"nextBytes\":"
                        + nextBytes
                        + "}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    public static PartitionHead fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        return new PartitionHead(
                Json.requireLong(n, "nextSeq", path),
                Json.requireLong(n, "nextOffset", path),
                Json.requireLong(n, "nextBytes", path));
    }
}
