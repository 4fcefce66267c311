package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.annotation.Internal;

/**
 * Data of a partition's {@code epoch} znode, rewritten by every take. Informational only: the
 * fencing token is the znode's data version, not anything in here.
 */
@Internal
public record EpochInfo(String ownerId, long takenAtMillis) {
    static final PayloadFormat FORMAT = new PayloadFormat("partition epoch", 1);

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("ownerId", ownerId);
        n.put("takenAt", takenAtMillis);
        return Json.write(n);
    }

    public static EpochInfo fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        return new EpochInfo(
                Json.requireText(n, "ownerId", path), Json.requireLong(n, "takenAt", path));
    }
}
