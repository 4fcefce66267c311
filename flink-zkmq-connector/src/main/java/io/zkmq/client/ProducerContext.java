package io.zkmq.client;

import io.zkmq.error.ZkmqException;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.curator.framework.CuratorFramework;

/** What the appenders of one producer share. */
interface ProducerContext {
    CuratorFramework curator();

    ScheduledExecutorService scheduler();

    /** Runs the deadline watchdogs; never calls ZooKeeper, so Curator cannot hold it up. */
    ScheduledExecutorService watchdogs();

    UUID producerId();

    long nextProducerSequence();

    long lingerMillis();

    long deliveryTimeoutNanos();

    /** How long one ZooKeeper request may stay unanswered before the producer treats it as lost. */
    long requestTimeoutNanos();

    /** How long past its delivery deadline a batch with an unknown outcome may be read back. */
    long resolveMarginNanos();

    void release(long bytes);

    void recordAcknowledged(int records, int bytes);

    void recordFailure(ZkmqException error);
}
