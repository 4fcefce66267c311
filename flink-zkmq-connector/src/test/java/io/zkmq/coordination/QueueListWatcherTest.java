package io.zkmq.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.QueueConfig;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The queue-list watch that pattern readers use, against a real ZooKeeper. */
class QueueListWatcherTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @Test
    void aWatchStartedBeforeAnyQueueExistsHearsOfTheFirstQueueAndOfEveryNextOne() throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        AtomicReference<List<String>> heard = new AtomicReference<>(List.of());

        try (QueueListWatcher watcher = client.watchQueueList(heard::set)) {
            assertThat(watcher.start()).isEmpty();

            client.admin().createQueue("b", QueueConfig.builder().partitions(1).build());
            Deadline.await(
                    "the first queue is heard of",
                    Duration.ofSeconds(20),
                    () -> heard.get().contains("b"));
            client.admin().createQueue("a", QueueConfig.builder().partitions(1).build());
            Deadline.await(
                    "the second queue is heard of",
                    Duration.ofSeconds(20),
                    () -> heard.get().size() == 2);

            assertThat(heard.get()).containsExactly("a", "b");
        }
    }

    @Test
    void startListsTheExistingQueuesSortedAndAClosedWatchIsSilent() throws Exception {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        client.admin().createQueue("y", QueueConfig.builder().partitions(1).build());
        client.admin().createQueue("x", QueueConfig.builder().partitions(1).build());
        AtomicReference<List<String>> heard = new AtomicReference<>();
        QueueListWatcher watcher = client.watchQueueList(heard::set);

        assertThat(watcher.start()).containsExactly("x", "y");
        watcher.close();
        client.admin().createQueue("z", QueueConfig.builder().partitions(1).build());
        // The listener of a second, open watch hears of "z"; by then the closed one would have too.
        AtomicReference<List<String>> open = new AtomicReference<>(List.of());
        try (QueueListWatcher second = client.watchQueueList(open::set)) {
            second.start();
            client.admin().createQueue("w", QueueConfig.builder().partitions(1).build());
            Deadline.await(
                    "the open watch hears of w",
                    Duration.ofSeconds(20),
                    () -> open.get().contains("w"));
        }
        assertThat(heard.get()).isNull();
    }
}
