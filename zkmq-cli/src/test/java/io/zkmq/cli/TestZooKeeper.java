package io.zkmq.cli;

import java.util.UUID;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A ZooKeeper server (Curator's TestingServer) per test class; each test takes a fresh namespace.
 */
final class TestZooKeeper implements BeforeAllCallback, AfterAllCallback {
    private TestingServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = new TestingServer(InstanceSpec.getRandomPort(), true);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        server.close();
    }

    String connectString() {
        return server.getConnectString();
    }

    /** A CLI bound to this server and to a namespace no other test uses. */
    Cli freshCli() {
        return Cli.against(connectString(), "t" + UUID.randomUUID().toString().substring(0, 8));
    }
}
