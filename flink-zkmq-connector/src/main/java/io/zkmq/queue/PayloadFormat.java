package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkmq.error.InvalidConfigException;

/**
 * The version rule of one kind of JSON znode payload. Every payload starts with {@code "version":
 * n}; a reader accepts versions 1 to {@link #version()} and refuses a newer one by name, so a
 * client never misreads what a newer client wrote. A payload without the field is version 1: that
 * is what clients wrote before the field existed, so existing queues keep working.
 *
 * @param kind what the payload is, for error messages ("partition head", "queue config", ...)
 * @param version the newest version this client reads, and the one it writes
 * @param readsLegacyField whether a payload without {@link #FIELD} may carry its version in {@link
 *     #LEGACY_FIELD}, as queue configs and transaction markers did before {@link #FIELD}
 */
record PayloadFormat(String kind, int version, boolean readsLegacyField) {
    static final String FIELD = "version";
    static final String LEGACY_FIELD = "format";

    public PayloadFormat {
        if (version < 1) {
            throw new IllegalArgumentException(
                    "Payload " + kind + ": version must be at least 1, got " + version);
        }
    }

    public PayloadFormat(String kind, int version) {
        this(kind, version, false);
    }

    /** A new payload object that starts with this format's version. */
    public ObjectNode object() {
        ObjectNode n = Json.object();
        n.put(FIELD, version);
        return n;
    }

    /** Parses the payload stored at {@code path} and checks that this client reads its version. */
    public JsonNode read(byte[] data, String path) {
        JsonNode n = Json.read(data, path);
        check(n, path);
        return n;
    }

    /**
     * The payload's version, after checking this client reads it; errors name the znode and kind.
     */
    public int check(JsonNode n, String path) {
        String field =
                n.has(FIELD)
                        ? FIELD
                        : readsLegacyField && n.has(LEGACY_FIELD) ? LEGACY_FIELD : null;
        if (field == null) {
            return 1;
        }
        JsonNode v = n.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidConfigException(
                    "Znode "
                            + path
                            + ": field '"
                            + field
                            + "' of the "
                            + kind
                            + " payload is not an integer version: "
                            + v);
        }
        int found = v.asInt();
        if (found < 1 || found > version) {
            throw new InvalidConfigException(
                    "Znode "
                            + path
                            + " holds a "
                            + kind
                            + " payload of version "
                            + found
                            + ", but this client reads "
                            + readable()
                            + (found > version
                                    ? ": it was written by a newer ZKMQ client; upgrade this client"
                                    : ""));
        }
        return found;
    }

    private String readable() {
        return version == 1 ? "version 1 only" : "versions 1 to " + version;
    }
}
