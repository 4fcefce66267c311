package io.zkmq.testing;

import io.zkmq.tier.TierFileSystems;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.curator.test.InstanceSpec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginManager;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3-compatible server (s3proxy over jclouds' in-memory store) in the test JVM with one
 * bucket, and Flink's S3 file system ({@code flink-s3-fs-hadoop}, loaded as a Flink plugin from the
 * directory the build prepares) initialized to reach it, as a TaskManager would with {@code
 * s3.endpoint} etc. in its configuration. {@link #stop()} and {@link #start()} take the server away
 * and bring it back on the same port with the same objects.
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {
    public static final String BUCKET = "zkmq-tier";
    private static final String ACCESS_KEY = "test-access";
    private static final String SECRET_KEY = "test-secret-do-not-print";

    private final boolean initializeFlink;
    private BlobStoreContext context;
    private int port;
    private S3Proxy proxy;

    /** The server, and Flink's file systems set up to reach it, as in a TaskManager. */
    public S3ProxyExtension() {
        this(true);
    }

    private S3ProxyExtension(boolean initializeFlink) {
        this.initializeFlink = initializeFlink;
    }

    /**
     * The server only: Flink's file systems are left as they are, for tests of what sets them up.
     */
    public static S3ProxyExtension serverOnly() {
        return new S3ProxyExtension(false);
    }

    @Override
    public void beforeAll(ExtensionContext ctx) throws Exception {
        context =
                ContextBuilder.newBuilder("transient")
                        .credentials(ACCESS_KEY, SECRET_KEY)
                        .overrides(new Properties())
                        .build(BlobStoreContext.class);
        blobStore().createContainerInLocation(null, BUCKET);
        port = InstanceSpec.getRandomPort();
        start();
        if (initializeFlink) {
            initializeFlinkFileSystems(flinkConfig(), pluginsDir());
        }
    }

    @Override
    public void afterAll(ExtensionContext ctx) throws Exception {
        stop();
        context.close();
        // Later tests in this JVM get Flink's default file systems back.
        TierFileSystems.resetForTesting();
        FileSystem.initialize(new Configuration(), null);
    }

    /** Flink configuration that reaches this server: what a user puts in the Flink config. */
    public Map<String, String> flinkConfig() {
        return Map.of(
                "s3.endpoint", endpoint(),
                "s3.path.style.access", "true",
                // A fixed region: otherwise the AWS SDK looks for one, e.g. in EC2 metadata.
                "s3.endpoint.region", "us-east-1",
                "s3.access-key", ACCESS_KEY,
                "s3.secret-key", SECRET_KEY,
                // Fail fast while the server is down (the tests stop it), instead of S3A's minutes
                // of retries.
                "s3.attempts.maximum", "1",
                "s3.retry.limit", "1",
                "s3.retry.interval", "100ms",
                "s3.connection.establish.timeout", "2000",
                "s3.connection.timeout", "5000");
    }

    public static String secretKey() {
        return SECRET_KEY;
    }

    /** The Flink plugins directory with {@code s3-fs-hadoop}, prepared by the build. */
    public static Path pluginsDir() {
        String dir = System.getProperty("zkmq.test.flinkPluginsDir");
        if (dir == null || !Files.isDirectory(Path.of(dir, "s3-fs-hadoop"))) {
            throw new IllegalStateException(
                    "No Flink S3 plugin at zkmq.test.flinkPluginsDir="
                            + dir
                            + "/s3-fs-hadoop: run the tests through Maven, which copies"
                            + " flink-s3-fs-hadoop there");
        }
        return Path.of(dir);
    }

    /** Initializes Flink's file systems process-wide, as a TaskManager does. */
    public static void initializeFlinkFileSystems(Map<String, String> config, Path pluginsDir)
            throws Exception {
        Configuration flinkConfig = Configuration.fromMap(config);
        PluginManager plugins =
                new DefaultPluginManager(
                        new DirectoryBasedPluginFinder(pluginsDir).findPlugins(),
                        CoreOptions.getPluginParentFirstLoaderPatterns(flinkConfig));
        FileSystem.initialize(flinkConfig, plugins);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code s3://<bucket>/<prefix>}: a tier URI on this server. */
    public String uri(String prefix) {
        return "s3://" + BUCKET + "/" + prefix;
    }

    /** The server's store, for checking objects without going through Flink. */
    public BlobStore blobStore() {
        return context.getBlobStore();
    }

    /** Starts the server (again) on its port, with the objects it had. */
    public synchronized void start() throws Exception {
        proxy =
                S3Proxy.builder()
                        .blobStore(blobStore())
                        .endpoint(URI.create(endpoint()))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .build();
        proxy.start();
        S3Proxy started = proxy;
        Deadline.await(
                "s3proxy starts on port " + port,
                Duration.ofSeconds(30),
                () -> "STARTED".equals(started.getState()));
    }

    /** Stops the server: connections to its port are refused until {@link #start()}. */
    public synchronized void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }
}
