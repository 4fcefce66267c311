package io.zkmq.cli;

import io.zkmq.tier.TierFileSystems;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.curator.test.InstanceSpec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real S3-compatible server (s3proxy, in memory) in the test JVM with one bucket. Flink's S3 file
 * system is not on the test class path: commands load it from the plugins directory the build
 * prepares ({@link #pluginsDir()}), as a user's Flink distribution has it.
 */
final class TestS3Server implements BeforeAllCallback, AfterAllCallback {
    static final String BUCKET = "zkmq-tier";
    static final String ACCESS_KEY = "cli-access";
    static final String SECRET_KEY = "cli-secret-never-printed";

    private BlobStoreContext context;
    private S3Proxy proxy;
    private int port;

    @Override
    public void beforeAll(ExtensionContext ctx) throws Exception {
        context =
                ContextBuilder.newBuilder("transient")
                        .credentials(ACCESS_KEY, SECRET_KEY)
                        .overrides(new Properties())
                        .build(BlobStoreContext.class);
        context.getBlobStore().createContainerInLocation(null, BUCKET);
        port = InstanceSpec.getRandomPort();
        proxy =
                S3Proxy.builder()
                        .blobStore(context.getBlobStore())
                        .endpoint(URI.create(endpoint()))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .build();
        proxy.start();
        Deadline.await(
                "s3proxy starts", Duration.ofSeconds(30), () -> "STARTED".equals(proxy.getState()));
    }

    @Override
    public void afterAll(ExtensionContext ctx) throws Exception {
        proxy.stop();
        context.close();
        // Flink's file systems are process-wide: later tests in this JVM get the defaults back.
        TierFileSystems.resetForTesting();
        FileSystem.initialize(new Configuration(), null);
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    static Path pluginsDir() {
        Path dir = Path.of(System.getProperty("zkmq.test.flinkPluginsDir", "target/flink-plugins"));
        if (!Files.isDirectory(dir.resolve("s3-fs-hadoop"))) {
            throw new IllegalStateException(
                    "No Flink S3 plugin in " + dir + ": run the tests through Maven");
        }
        return dir;
    }

    /** Names of the tier objects in the bucket under {@code prefix}. */
    List<String> objects(String prefix) {
        return context
                .getBlobStore()
                .list(BUCKET, ListContainerOptions.Builder.recursive())
                .stream()
                .map(StorageMetadata::getName)
                .filter(n -> n.startsWith(prefix + "/") && n.endsWith(".zkseg"))
                .toList();
    }
}
