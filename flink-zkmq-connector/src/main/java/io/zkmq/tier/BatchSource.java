package io.zkmq.tier;

import io.zkmq.queue.TierObjectWriter;
import org.apache.flink.annotation.Internal;

import java.io.IOException;

/** Feeds the batches of one object to its writer (for example, read from ZooKeeper by the offloader). */
@Internal
@FunctionalInterface
public interface BatchSource {
    void writeTo(TierObjectWriter writer) throws IOException;
}
