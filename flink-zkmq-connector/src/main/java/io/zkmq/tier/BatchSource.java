package io.zkmq.tier;

import io.zkmq.queue.TierObjectWriter;
import java.io.IOException;
import org.apache.flink.annotation.Internal;

/**
 * Feeds the batches of one object to its writer (for example, read from ZooKeeper by the
 * offloader).
 */
@Internal
@FunctionalInterface
public interface BatchSource {
    void writeTo(TierObjectWriter writer) throws IOException;
}
