package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.QueueNotFoundException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.ZooKeeperExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Errors about missing znodes name them as ZooKeeper's tools show them: with the namespace. */
class MissingZnodeMessagesTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @Test
    void aMissingQueueAndAMissingPartitionZnodeAreNamedWithTheNamespace() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
        client.curator().delete().forPath(ZkmqPaths.head("q", 0));

        assertThatThrownBy(() -> client.admin().readConfig("nosuch"))
                .isInstanceOf(QueueNotFoundException.class)
                .hasMessageContaining("(no znode /" + ns + "/queues/nosuch)");
        assertThatThrownBy(() -> client.admin().readHead("q", 0))
                .isInstanceOf(QueueNotFoundException.class)
                .hasMessageContaining("has no znode /" + ns + "/queues/q/partitions/0/head");
    }
}
