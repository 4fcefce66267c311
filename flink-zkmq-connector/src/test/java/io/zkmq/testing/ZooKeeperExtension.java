package io.zkmq.testing;

import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real ZooKeeper server (Curator's TestingServer) for a test class, plus client factories. */
public final class ZooKeeperExtension implements BeforeAllCallback, AfterAllCallback {
    private static final String ENFORCE_QUOTA = "zookeeper.enforceQuota";

    private final boolean enforceQuotas;
    private String previousEnforceQuota;
    private TestingServer server;
    private final List<ZkmqClient> clients = new ArrayList<>();

    public ZooKeeperExtension() {
        this(false);
    }

    private ZooKeeperExtension(boolean enforceQuotas) {
        this.enforceQuotas = enforceQuotas;
    }

    /**
     * A server that enforces byte quotas ({@code zookeeper.enforceQuota=true}), as production
     * servers should.
     */
    public static ZooKeeperExtension enforcingQuotas() {
        return new ZooKeeperExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (enforceQuotas) {
            previousEnforceQuota = System.setProperty(ENFORCE_QUOTA, "true");
            // ZooKeeperServer reads the property once, when its class loads (a static final), so an
            // earlier server in this JVM may have fixed it to false: then no quota test can run
            // here.
            if (!org.apache.zookeeper.server.ZooKeeperServer.enforceQuota) {
                throw new IllegalStateException(
                        "ZooKeeperServer was loaded before "
                                + ENFORCE_QUOTA
                                + "=true was set,"
                                + " so this JVM's servers do not enforce quotas; run the tests with -D"
                                + ENFORCE_QUOTA
                                + "=true"
                                + " (the build's surefire configuration sets it)");
            }
        }
        server = new TestingServer(InstanceSpec.getRandomPort(), true);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        synchronized (clients) {
            clients.forEach(ZkmqClient::close);
            clients.clear();
        }
        server.close();
        if (enforceQuotas) {
            if (previousEnforceQuota == null) {
                System.clearProperty(ENFORCE_QUOTA);
            } else {
                System.setProperty(ENFORCE_QUOTA, previousEnforceQuota);
            }
        }
    }

    public TestingServer server() {
        return server;
    }

    public String connectString() {
        return server.getConnectString();
    }

    /** Options for this server in a fresh namespace per call of {@link #freshNamespace}. */
    public ZkmqClientOptions.Builder options(String namespace) {
        return ZkmqClientOptions.builder(connectString())
                .namespace(namespace)
                .sessionTimeout(Duration.ofSeconds(10))
                .connectionTimeout(Duration.ofSeconds(5));
    }

    public static String freshNamespace() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A client closed after the test class. */
    public ZkmqClient client(String namespace) {
        return track(ZkmqClient.connect(options(namespace).build()));
    }

    public ZkmqClient track(ZkmqClient client) {
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }
}
