package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Data of a partition's ephemeral owner znode: who holds the partition, at which epoch, in which
 * session, and that session's negotiated timeout (0 if the owner did not say: written by an older
 * version), so a waiting reader can tell when a killed owner's lock goes away.
 */
@PublicEvolving
public record OwnerInfo(String ownerId, long epoch, long sessionId, long sessionTimeoutMillis) {
    static final PayloadFormat FORMAT = new PayloadFormat("partition owner", 1);

    public OwnerInfo(String ownerId, long epoch, long sessionId) {
        this(ownerId, epoch, sessionId, 0);
    }

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("ownerId", ownerId);
        n.put("epoch", epoch);
        n.put("session", Long.toHexString(sessionId));
        if (sessionTimeoutMillis > 0) {
            n.put("sessionTimeoutMs", sessionTimeoutMillis);
        }
        return Json.write(n);
    }

    public static OwnerInfo fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        long session;
        try {
            session = Long.parseUnsignedLong(Json.requireText(n, "session", path), 16);
        } catch (NumberFormatException e) {
            session = 0;
        }
        return new OwnerInfo(
                Json.requireText(n, "ownerId", path),
                Json.requireLong(n, "epoch", path),
                session,
                n.has("sessionTimeoutMs") ? n.get("sessionTimeoutMs").asLong() : 0);
    }
}
