package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;
import org.apache.flink.annotation.Internal;

/** One staged batch of a transaction: its znode and what a reference to it must say. */
@Internal
public record StagedBatch(
        String path,
        int records,
        int bytes,
        long firstTimestamp,
        long maxTimestamp,
        UUID producerId,
        long producerSequence) {

    ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("path", path);
        n.put("records", records);
        n.put("bytes", bytes);
        n.put("firstTimestamp", firstTimestamp);
        n.put("maxTimestamp", maxTimestamp);
        n.put("producerId", producerId.toString());
        n.put("producerSequence", producerSequence);
        return n;
    }

    static StagedBatch fromJson(JsonNode n, String where) {
        return new StagedBatch(
                Json.requireText(n, "path", where),
                (int) Json.requireLong(n, "records", where),
                (int) Json.requireLong(n, "bytes", where),
                Json.requireLong(n, "firstTimestamp", where),
                Json.requireLong(n, "maxTimestamp", where),
                UUID.fromString(Json.requireText(n, "producerId", where)),
                Json.requireLong(n, "producerSequence", where));
    }
}
