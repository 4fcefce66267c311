package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.annotation.PublicEvolving;

/**
 * The read end of a partition: the first batch that has not been trimmed, its first offset, and the
 * byte count appended before it. Retention moves it forward before deleting anything.
 */
@PublicEvolving
public record PartitionLow(long lowSeq, long lowOffset, long lowBytes) {
    public static final PartitionLow EMPTY = new PartitionLow(0, 0, 0);
    static final PayloadFormat FORMAT = new PayloadFormat("partition low", 1);

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("lowSeq", lowSeq);
        n.put("lowOffset", lowOffset);
        n.put("lowBytes", lowBytes);
        return Json.write(n);
    }

    public static PartitionLow fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        return new PartitionLow(
                Json.requireLong(n, "lowSeq", path),
                Json.requireLong(n, "lowOffset", path),
                Json.requireLong(n, "lowBytes", path));
    }
}
