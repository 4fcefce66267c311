package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.QueueContents;
import io.zkmq.testing.ZooKeeperExtension;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Znode payloads of other client versions, in a real ZooKeeper: older ones keep working, newer ones
 * are refused by name.
 */
class PayloadVersionsTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static void store(ZkmqClient client, String path, String json) throws Exception {
        client.curator().setData().forPath(path, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String stored(ZkmqClient client, String path) throws Exception {
        return new String(client.curator().getData().forPath(path), StandardCharsets.UTF_8);
    }

    @Test
    void aQueueWrittenBeforeTheVersionFieldIsAppendedToAndReadAsBefore() throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("old", QueueConfig.builder().build());
        // Exactly what the previous client wrote for a new queue.
        store(
                client,
                ZkmqPaths.queue("old"),
                "{\"format\":1,\"partitions\":1,\"maxBatchBytes\":262144,\"segmentBatches\":100,"
                        + "\"retentionBytes\":134217728,\"retentionMs\":604800000}");
        store(client, ZkmqPaths.head("old", 0), "{\"nextSeq\":0,\"nextOffset\":0,\"nextBytes\":0}");
        store(client, ZkmqPaths.low("old", 0), "{\"lowSeq\":0,\"lowOffset\":0,\"lowBytes\":0}");

        try (ZkmqProducer producer = client.producer("old")) {
            for (int i = 0; i < 10; i++) {
                producer.send(0, Record.of("k", "v" + i));
            }
            producer.flush();
        }
        assertThat(QueueContents.readPartition(client, "old", 0, 10))
                .extracting(QueueRecord::valueAsString)
                .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
        assertThat(client.admin().readHead("old", 0).nextOffset()).isEqualTo(10);
        assertThat(stored(client, ZkmqPaths.head("old", 0))).startsWith("{\"version\":1,");
    }

    @Test
    void aConfigWrittenByANewerClientIsRefusedNamingTheZnodeAndVersion() throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("newer", QueueConfig.builder().build());
        String path = ZkmqPaths.queue("newer");
        store(
                client,
                path,
                "{\"version\":2,\"format\":2,\"partitions\":1,\"maxBatchBytes\":262144,\"segmentBatches\":100,"
                        + "\"retentionBytes\":134217728,\"retentionMs\":604800000,\"tiering\":{}}");

        assertThatThrownBy(() -> client.admin().readConfig("newer"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(path)
                .hasMessageContaining("queue config payload of version 2")
                .hasMessageContaining("upgrade this client");
    }

    @Test
    void aHeadWrittenByANewerClientFailsTheSendNamingTheZnodeAndVersion() throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("newer-head", QueueConfig.builder().build());
        String path = ZkmqPaths.head("newer-head", 0);
        store(
                client,
                path,
                "{\"version\":2,\"nextSeq\":0,\"nextOffset\":0,\"nextBytes\":0,\"chunks\":[]}");

        try (ZkmqProducer producer = client.producer("newer-head")) {
            CompletableFuture<RecordMetadata> sent = producer.send(0, Record.of("k", "v"));
            assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining(path)
                    .hasMessageContaining("partition head payload of version 2");
        }
        // Nothing was appended over the newer head.
        assertThat(stored(client, path)).startsWith("{\"version\":2,");
    }
}
