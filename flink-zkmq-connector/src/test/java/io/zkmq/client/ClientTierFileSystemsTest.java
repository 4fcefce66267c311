package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.coordination.TierIndex;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.error.TierUnavailableException;
import io.zkmq.queue.Record;
import io.zkmq.queue.TierObjectEntry;
import io.zkmq.testing.S3ProxyExtension;
import io.zkmq.testing.ZooKeeperExtension;
import io.zkmq.tier.TierFileSystems;
import io.zkmq.tier.TierObjectStore;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain Java client (not a Flink job) reaches an S3 tier through {@code
 * ZkmqClientOptions.tierConfig} and {@code flinkPluginsDir}; the process-wide setup is applied once
 * and a conflicting one refused without printing secrets.
 */
class ClientTierFileSystemsTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();
    @RegisterExtension static final S3ProxyExtension S3 = S3ProxyExtension.serverOnly();

    @TempDir java.nio.file.Path dir;

    /** Each test starts as a fresh process would: Flink's default file systems, nothing applied. */
    @BeforeEach
    @AfterEach
    void defaultFileSystems() {
        TierFileSystems.resetForTesting();
        FileSystem.initialize(new Configuration(), null);
    }

    private static ZkmqClientOptions.Builder s3Options(String ns) {
        return ZK.options(ns)
                .tierConfig(S3.flinkConfig())
                .flinkPluginsDir(S3ProxyExtension.pluginsDir());
    }

    @Test
    void aClientWithTierConfigAndPluginsDirOffloadsToS3() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        String uri = S3.uri("client-" + ns);
        TierObjectStore store = new TierObjectStore(new Path(uri), ns);
        assertThatThrownBy(() -> store.list("events", 0))
                .as("without the settings this process has no s3:// file system")
                .isInstanceOf(TierUnavailableException.class)
                .hasMessageContaining(uri);

        ZkmqClient client = ZK.track(ZkmqClient.connect(s3Options(ns).build()));
        client.admin()
                .createQueue(
                        "events",
                        io.zkmq.queue.QueueConfig.builder()
                                .partitions(1)
                                .maxBatchBytes(1024)
                                .segmentBatches(4)
                                .tierUri(uri)
                                .hotRetentionBytes(2048)
                                .build());
        try (ZkmqProducer producer =
                client.producer(
                        "events", ProducerOptions.builder().joinMaintenance(false).build())) {
            for (int i = 0; i < 200; i++) {
                producer.send(0, Record.of(null, ("v" + i + "x".repeat(100)).getBytes()));
            }
            producer.flush();
        }
        io.zkmq.coordination.MaintenanceEpoch epoch =
                new io.zkmq.coordination.MaintenanceEpoch(client.curator(), "events");
        epoch.bump();
        assertThat(
                        new TierOffloadTask(
                                        client.curator(),
                                        ns,
                                        "events",
                                        epoch,
                                        TierOffloadTask.DEFAULT_ORPHAN_GRACE)
                                .runOnce())
                .isEqualTo(1);
        List<TierObjectEntry> entries =
                TierIndex.read(client.curator(), "events", 0).stream()
                        .map(TierIndex.Registered::entry)
                        .toList();
        assertThat(entries).hasSize(1);
        assertThat(store.list("events", 0)).hasSize(1);
    }

    @Test
    void theSameSettingsAgainAreFineAndDifferentOnesAreRefusedWithoutPrintingSecrets() {
        String ns = ZooKeeperExtension.freshNamespace();
        ZK.track(ZkmqClient.connect(s3Options(ns).build()));
        ZK.track(ZkmqClient.connect(s3Options(ns).build()));
        ZK.track(ZkmqClient.connect(ZK.options(ns).build())); // none given: leaves them alone

        Map<String, String> other = new HashMap<>(S3.flinkConfig());
        other.put("s3.secret-key", "another-secret-value");
        other.put("s3.endpoint", "http://127.0.0.1:1");
        ZkmqClientOptions conflicting =
                ZK.options(ns)
                        .tierConfig(other)
                        .flinkPluginsDir(S3ProxyExtension.pluginsDir())
                        .build();
        assertThatThrownBy(() -> ZkmqClient.connect(conflicting))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("process-wide")
                .hasMessageContaining("[s3.endpoint, s3.secret-key]")
                .hasMessageNotContaining("another-secret-value")
                .hasMessageNotContaining(S3ProxyExtension.secretKey());
        assertThat(conflicting.toString())
                .contains("s3.secret-key")
                .doesNotContain("another-secret-value");
    }

    @Test
    void aMissingPluginsDirectoryIsNamedInTheError() {
        java.nio.file.Path missing = dir.resolve("no-such-plugins");
        assertThat(Files.exists(missing)).isFalse();
        ZkmqClientOptions options =
                ZK.options(ZooKeeperExtension.freshNamespace()).flinkPluginsDir(missing).build();
        assertThatThrownBy(() -> ZkmqClient.connect(options))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("plugins directory");
    }

    @Test
    void aClientWithoutTierSettingsNeverReinitializesTheFileSystemsOfItsProcess() throws Exception {
        // As in a Flink job: the TaskManager set the file systems up from its configuration.
        S3ProxyExtension.initializeFlinkFileSystems(
                S3.flinkConfig(), S3ProxyExtension.pluginsDir());
        String ns = ZooKeeperExtension.freshNamespace();
        ZK.track(ZkmqClient.connect(ZK.options(ns).build()));

        TierObjectStore store = new TierObjectStore(new Path(S3.uri("job-" + ns)), ns);
        assertThat(store.list("events", 0)).as("s3:// still reachable").isEmpty();
    }
}
