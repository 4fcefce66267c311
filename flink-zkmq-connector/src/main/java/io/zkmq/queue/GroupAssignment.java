package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.annotation.Internal;

/** The assignment znode's payload: a generation number and the owner member of each partition. */
@Internal
public record GroupAssignment(long generation, Map<Integer, String> ownerByPartition) {
    public static final GroupAssignment EMPTY = new GroupAssignment(0, Map.of());
    static final PayloadFormat FORMAT = new PayloadFormat("group assignment", 1);

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("generation", generation);
        ObjectNode owners = n.putObject("owners");
        new TreeMap<>(ownerByPartition).forEach((p, m) -> owners.put(Integer.toString(p), m));
        return Json.write(n);
    }

    public static GroupAssignment fromJson(byte[] data, String path) {
        if (data == null || data.length == 0) {
            return EMPTY;
        }
        JsonNode n = FORMAT.read(data, path);
        Map<Integer, String> owners = new TreeMap<>();
        JsonNode o = n.get("owners");
        if (o != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                owners.put(Integer.parseInt(e.getKey()), e.getValue().asText());
            }
        }
        return new GroupAssignment(Json.requireLong(n, "generation", path), owners);
    }
}
