package io.zkmq.source.testframe;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.flink.connector.testframe.TestResource;

/**
 * The external system of the connector test suite: one in-JVM ZooKeeper server (Curator's {@link
 * TestingServer}) on a random port, started before the first case and stopped after the last. Every
 * external context works in its own namespace on it, so cases never see each other's queues,
 * offsets or locks.
 */
public final class ZooKeeperTestResource implements TestResource {
    private volatile TestingServer server;

    @Override
    public void startUp() throws Exception {
        if (server == null) {
            server = new TestingServer(InstanceSpec.getRandomPort(), true);
        }
    }

    @Override
    public void tearDown() throws Exception {
        TestingServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }

    /** The connect string; only valid between {@link #startUp()} and {@link #tearDown()}. */
    public String connectString() {
        TestingServer s = server;
        if (s == null) {
            throw new IllegalStateException("The ZooKeeper test server is not running");
        }
        return s.getConnectString();
    }

    @Override
    public String toString() {
        return "ZooKeeper (Curator TestingServer)";
    }
}
