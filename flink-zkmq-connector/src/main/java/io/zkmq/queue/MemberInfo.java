package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.annotation.Internal;

/**
 * Data of an ephemeral member znode (a live producer, consumer or group member): who and where,
 * since when.
 */
@Internal
public record MemberInfo(String id, String host, long sinceMillis) {
    static final PayloadFormat FORMAT = new PayloadFormat("member", 1);

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("id", id);
        n.put("host", host);
        n.put("since", sinceMillis);
        return Json.write(n);
    }

    public static MemberInfo fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        return new MemberInfo(
                Json.requireText(n, "id", path),
                Json.requireText(n, "host", path),
                Json.requireLong(n, "since", path));
    }
}
