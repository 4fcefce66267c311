package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.apache.flink.annotation.Internal;

/**
 * Data of {@code /sinks/<prefix>}: how long the exactly-once sinks with that transactional id
 * prefix let a staged transaction stay uncommitted before the maintenance leader aborts it.
 */
@Internal
public record SinkSettings(Duration abandonedTimeout) {
    static final PayloadFormat FORMAT = new PayloadFormat("sink settings", 1);

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        n.put("abandonedTimeoutMs", abandonedTimeout.toMillis());
        return Json.write(n);
    }

    public static SinkSettings fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        return new SinkSettings(Duration.ofMillis(Json.requireLong(n, "abandonedTimeoutMs", path)));
    }
}
