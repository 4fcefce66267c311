package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A group's committed position in a partition: where the next reader resumes, the owner epoch that
 * committed it, and an optional checkpoint id (Flink) or -1.
 */
@PublicEvolving
public record CommittedPosition(Position position, long epoch, long checkpointId) {
    static final PayloadFormat FORMAT = new PayloadFormat("committed offset", 1);

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("nextOffset", position.offset());
        n.put("nextSeq", position.seq());
        n.put("epoch", epoch);
        n.put("checkpointId", checkpointId);
        return Json.write(n);
    }

    public static CommittedPosition fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        return new CommittedPosition(
                new Position(
                        Json.requireLong(n, "nextSeq", path),
                        Json.requireLong(n, "nextOffset", path)),
                Json.requireLong(n, "epoch", path),
                n.has("checkpointId") ? n.get("checkpointId").asLong() : -1);
    }
}
