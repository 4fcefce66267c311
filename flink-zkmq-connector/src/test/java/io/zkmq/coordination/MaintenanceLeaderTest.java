package io.zkmq.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The maintenance leader runs exactly the tasks it is handed, against a real ZooKeeper election.
 */
class MaintenanceLeaderTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final MaintenanceLeader.Settings EVERY_50_MS =
            new MaintenanceLeader.Settings(Duration.ofMillis(50));

    @Test
    void theLeaderRunsItsTasksInOrderAndAFailingTaskDoesNotStopTheNext() {
        ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
        List<String> runs = new CopyOnWriteArrayList<>();
        List<MaintenanceTask> tasks =
                List.of(
                        new MaintenanceTask("first", () -> runs.add("first")),
                        new MaintenanceTask(
                                "failing",
                                () -> {
                                    runs.add("failing");
                                    throw new IllegalStateException("fails at every run");
                                }),
                        new MaintenanceTask("last", () -> runs.add("last")));

        try (MaintenanceLeader leader =
                new MaintenanceLeader(client.curator(), "q", EVERY_50_MS, tasks)) {
            leader.start();
            Deadline.await(
                    "two rounds of maintenance", Duration.ofSeconds(20), () -> runs.size() >= 6);
            assertThat(leader.isLeader()).isTrue();
        }

        assertThat(runs.subList(0, 6))
                .containsExactly("first", "failing", "last", "first", "failing", "last");
    }

    @Test
    void aCandidateThatDoesNotLeadRunsNothing() {
        String namespace = ZooKeeperExtension.freshNamespace();
        List<String> runs = new CopyOnWriteArrayList<>();
        try (MaintenanceLeader first =
                        new MaintenanceLeader(
                                ZK.client(namespace).curator(),
                                "q",
                                EVERY_50_MS,
                                List.of(new MaintenanceTask("first's", () -> runs.add("first"))));
                MaintenanceLeader second =
                        new MaintenanceLeader(
                                ZK.client(namespace).curator(),
                                "q",
                                EVERY_50_MS,
                                List.of(
                                        new MaintenanceTask(
                                                "second's", () -> runs.add("second"))))) {
            first.start();
            Deadline.await("the first candidate leads", Duration.ofSeconds(20), first::isLeader);
            second.start();
            Deadline.await(
                    "the leader ran its task three times",
                    Duration.ofSeconds(20),
                    () -> runs.stream().filter("first"::equals).count() >= 3);

            assertThat(second.isLeader()).isFalse();
            assertThat(runs).containsOnly("first");
        }
    }
}
