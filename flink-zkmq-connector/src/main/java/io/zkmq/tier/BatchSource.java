package io.zkmq.tier;

import io.zkmq.queue.TierObjectWriter;

import java.io.IOException;

/** Feeds the batches of one object to its writer (for example, read from ZooKeeper by the offloader). */
@FunctionalInterface
public interface BatchSource {
    void writeTo(TierObjectWriter writer) throws IOException;
}
