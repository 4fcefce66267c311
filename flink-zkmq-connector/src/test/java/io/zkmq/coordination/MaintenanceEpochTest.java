package io.zkmq.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.FencedException;
import io.zkmq.queue.ZkmqPaths;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each new maintenance leader takes a new epoch before its tasks run, and the old leader's epoch is
 * refused.
 */
class MaintenanceEpochTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final MaintenanceLeader.Settings EVERY_50_MS =
            new MaintenanceLeader.Settings(Duration.ofMillis(50));

    @Test
    void aNewLeaderBumpsTheEpochSoTheDeposedLeadersCheckFails() throws Exception {
        String namespace = ZooKeeperExtension.freshNamespace();
        CuratorFramework firstCurator = ZK.client(namespace).curator();
        CuratorFramework secondCurator = ZK.client(namespace).curator();
        MaintenanceEpoch firstEpoch = new MaintenanceEpoch(firstCurator, "q");
        MaintenanceEpoch secondEpoch = new MaintenanceEpoch(secondCurator, "q");
        AtomicInteger firstSawEpoch = new AtomicInteger(-1);
        AtomicInteger secondSawEpoch = new AtomicInteger(-1);
        try (MaintenanceLeader second =
                new MaintenanceLeader(
                        secondCurator,
                        "q",
                        EVERY_50_MS,
                        secondEpoch,
                        List.of(
                                new MaintenanceTask(
                                        "records the epoch",
                                        () -> {
                                            secondSawEpoch.set(secondEpoch.version());
                                            return null;
                                        })))) {
            int deposedVersion;
            try (MaintenanceLeader first =
                    new MaintenanceLeader(
                            firstCurator,
                            "q",
                            EVERY_50_MS,
                            firstEpoch,
                            List.of(
                                    new MaintenanceTask(
                                            "records the epoch",
                                            () -> {
                                                firstSawEpoch.set(firstEpoch.version());
                                                return null;
                                            })))) {
                first.start();
                Deadline.await(
                        "the first leader's task ran with an epoch",
                        Duration.ofSeconds(20),
                        () -> firstSawEpoch.get() >= 0);
                deposedVersion = firstSawEpoch.get();
                second.start();
                assertThat(second.isLeader()).isFalse();
            } // the first leader steps down
            Deadline.await(
                    "the second leader's task ran with an epoch",
                    Duration.ofSeconds(20),
                    () -> secondSawEpoch.get() >= 0);

            assertThat(secondSawEpoch.get()).isGreaterThan(deposedVersion);
            assertThatThrownBy(firstEpoch::version)
                    .as("released when the lead was lost")
                    .isInstanceOf(FencedException.class)
                    .hasMessageContaining("queue 'q'");
            // What a deposed leader's registration multi() would carry: its old version no longer
            // matches.
            assertThatThrownBy(
                            () ->
                                    firstCurator
                                            .transaction()
                                            .forOperations(
                                                    firstCurator
                                                            .transactionOp()
                                                            .check()
                                                            .withVersion(deposedVersion)
                                                            .forPath(
                                                                    ZkmqPaths.maintenanceEpoch(
                                                                            "q"))))
                    .isInstanceOf(KeeperException.BadVersionException.class);
            secondCurator
                    .transaction()
                    .forOperations(secondEpoch.check()); // the current leader's passes
        }
    }
}
