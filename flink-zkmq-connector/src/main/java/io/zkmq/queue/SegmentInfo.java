package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.annotation.Internal;

/**
 * Data of a segment znode, written with its first batch: where the segment starts in batches,
 * offsets and cumulative bytes. Retention uses it to trim whole segments without reading batches.
 */
@Internal
public record SegmentInfo(long firstSeq, long baseOffset, long startBytes) {
    static final PayloadFormat FORMAT = new PayloadFormat("segment", 1);

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("firstSeq", firstSeq);
        n.put("baseOffset", baseOffset);
        n.put("startBytes", startBytes);
        return Json.write(n);
    }

    public static SegmentInfo fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        return new SegmentInfo(
                Json.requireLong(n, "firstSeq", path),
                Json.requireLong(n, "baseOffset", path),
                Json.requireLong(n, "startBytes", path));
    }
}
