package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkmq.error.InvalidConfigException;
import java.io.IOException;

/** The one JSON mapper for the small metadata znodes (config, head, low, offsets, owners). */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialize " + node, e);
        }
    }

    /** Parses the JSON stored at {@code path}; a malformed payload names the znode. */
    public static JsonNode read(byte[] data, String path) {
        try {
            JsonNode node = data == null || data.length == 0 ? null : MAPPER.readTree(data);
            if (node == null || !node.isObject()) {
                throw new InvalidConfigException("Znode " + path + " does not hold a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidConfigException(
                    "Znode " + path + " holds malformed JSON: " + e.getMessage(), e);
        }
    }

    /** A required long field; a missing or non-numeric one names the field and znode. */
    public static long requireLong(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong()) {
            throw new InvalidConfigException(
                    "Znode " + path + ": field '" + field + "' is missing or not an integer");
        }
        return v.asLong();
    }

    public static String requireText(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new InvalidConfigException(
                    "Znode " + path + ": field '" + field + "' is missing or not a string");
        }
        return v.asText();
    }
}
