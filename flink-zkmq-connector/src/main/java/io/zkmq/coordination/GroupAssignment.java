package io.zkmq.coordination;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkmq.queue.Json;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** The assignment znode's payload: a generation number and the owner member of each partition. */
record GroupAssignment(long generation, Map<Integer, String> ownerByPartition) {
    static final GroupAssignment EMPTY = new GroupAssignment(0, Map.of());

    byte[] toJson() {
        ObjectNode n = Json.object();
        n.put("generation", generation);
        ObjectNode owners = n.putObject("owners");
        new TreeMap<>(ownerByPartition).forEach((p, m) -> owners.put(Integer.toString(p), m));
        return Json.write(n);
    }

    static GroupAssignment fromJson(byte[] data, String path) {
        if (data == null || data.length == 0) {
            return EMPTY;
        }
        JsonNode n = Json.read(data, path);
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
