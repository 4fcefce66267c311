package io.zkmq.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.queue.ZkmqPaths;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;

/** ZooKeeper failures become the connector's exceptions, naming the queue and znode involved. */
class ZkErrorsTest {

    @Test
    void aRefusedWriteUnderAQueueNamesThatQueue() {
        String head = ZkmqPaths.head("orders", 3);

        ZkmqException e =
                ZkErrors.translate(KeeperException.Code.QUOTAEXCEEDED, head, "appending", null);

        assertThat(e)
                .isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("Queue 'orders'")
                .hasMessageContaining(head);
        assertThat(((QuotaExceededException) e).queue()).contains("orders");
    }

    @Test
    void theQueueZnodeItselfNamesItsQueue() {
        QuotaExceededException e =
                (QuotaExceededException)
                        ZkErrors.translate(
                                KeeperException.Code.QUOTAEXCEEDED,
                                ZkmqPaths.queue("orders"),
                                "altering",
                                null);

        assertThat(e.queue()).contains("orders");
    }

    @Test
    void aRefusedWriteOutsideAnyQueueNamesNoQueue() {
        QuotaExceededException e =
                (QuotaExceededException)
                        ZkErrors.translate(
                                KeeperException.Code.QUOTAEXCEEDED,
                                "/sinks/prefix",
                                "registering a sink",
                                null);

        assertThat(e.queue()).isEmpty();
        assertThat(e).hasMessageContaining("/sinks/prefix");
    }

    @Test
    void aLostConnectionIsUnavailabilityNamingTheZnodeAndTheOperation() {
        ZkmqException e =
                ZkErrors.translate(
                        KeeperException.create(
                                KeeperException.Code.CONNECTIONLOSS, ZkmqPaths.head("orders", 0)),
                        "appending");

        assertThat(e)
                .isInstanceOf(ZooKeeperUnavailableException.class)
                .hasMessageContaining(ZkmqPaths.head("orders", 0))
                .hasMessageContaining("appending");
        assertThat(ZkErrors.isRetriable(KeeperException.Code.CONNECTIONLOSS)).isTrue();
        assertThat(ZkErrors.isRetriable(KeeperException.Code.QUOTAEXCEEDED)).isFalse();
    }
}
