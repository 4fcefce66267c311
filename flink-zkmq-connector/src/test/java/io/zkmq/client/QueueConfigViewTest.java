package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.QueueNotFoundException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import io.zkmq.testing.ZooKeeperExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client's view of queue configs comes from watches, whose events arrive asynchronously. What a
 * client wrote itself, and a queue another client just created, must be visible at once.
 */
class QueueConfigViewTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @Test
    void aClientSeesItsOwnCreateAlterAndDeleteWithoutWaitingForTheWatch() {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        for (int round = 0; round < 20; round++) {
            client.admin().createQueue("q", QueueConfig.builder().partitions(2).build());
            assertThat(client.currentConfig("q").config().partitions()).isEqualTo(2);
            client.admin().addPartitions("q", 5);
            assertThat(client.currentConfig("q").config().partitions())
                    .as("round %d", round)
                    .isEqualTo(5);
            client.admin().deleteQueue("q");
            assertThatThrownBy(() -> client.currentConfig("q"))
                    .isInstanceOf(QueueNotFoundException.class);
        }
    }

    @Test
    void aProducerOfAQueueRecreatedUnderTheSameNameStartsAtOnce() throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        for (int round = 0; round < 20; round++) {
            client.admin()
                    .createQueue("again", QueueConfig.builder().partitions(1 + round % 3).build());
            try (ZkmqProducer producer = client.producer("again")) {
                assertThat(producer.send(Record.of(null, "r" + round)).get().offset()).isZero();
            }
            client.admin().deleteQueue("again");
        }
    }

    @Test
    void aQueueAnotherClientJustCreatedIsFoundThoughTheWatchSawItMissing() {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient watching = ZK.client(ns);
        ZkmqClient creating = ZK.client(ns);
        assertThatThrownBy(() -> watching.currentConfig("late"))
                .isInstanceOf(QueueNotFoundException.class);
        creating.admin().createQueue("late", QueueConfig.builder().partitions(3).build());
        assertThat(watching.currentConfig("late").config().partitions()).isEqualTo(3);
    }
}
