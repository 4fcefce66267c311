package io.zkmq.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.GroupPartitionInfo;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.error.FencedException;
import io.zkmq.error.OwnershipTimeoutException;
import io.zkmq.queue.OwnerInfo;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConsumerGroupTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static void produce(ZkmqClient client, String queue, int from, int to) {
        try (ZkmqProducer producer = client.producer(queue)) {
            for (int i = from; i < to; i++) {
                producer.send(Record.of("k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static ConsumerOptions group(String member) {
        return ConsumerOptions.builder()
                .group("g")
                .memberId(member)
                .lockTimeout(Duration.ofSeconds(20))
                .build();
    }

    @Test
    void membersSharePartitionsBalancedAndASurvivorContinuesFromCommittedOffsets() {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient admin = ZK.client(ns);
        admin.admin().createQueue("q", QueueConfig.builder().partitions(4).build());
        produce(admin, "q", 0, 400);

        ZkmqConsumer a = ZK.client(ns).consumer("q", group("a"));
        ZkmqConsumer b = ZK.client(ns).consumer("q", group("b"));
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        Deadline.await(
                "both members hold two partitions and everything is read",
                Duration.ofSeconds(30),
                () -> {
                    for (ZkmqConsumer c : List.of(a, b)) {
                        for (QueueRecord r : c.poll(Duration.ofMillis(50))) {
                            if (!seen.add(r.valueAsString())) {
                                duplicates.add(r.valueAsString());
                            }
                        }
                    }
                    return a.assignment().size() == 2
                            && b.assignment().size() == 2
                            && seen.size() == 400;
                });
        assertThat(duplicates).isEmpty();
        assertThat(a.assignment()).doesNotContainAnyElementsOf(b.assignment());
        a.commit();
        b.commit();
        assertThat(admin.admin().describeGroup("q", "g"))
                .extracting(GroupPartitionInfo::lag)
                .containsOnly(0L);

        b.close();
        produce(admin, "q", 400, 500);
        Deadline.await(
                "the survivor takes every partition and reads only the new records",
                Duration.ofSeconds(30),
                () -> {
                    for (QueueRecord r : a.poll(Duration.ofMillis(50))) {
                        if (!seen.add(r.valueAsString())) {
                            duplicates.add(r.valueAsString());
                        }
                    }
                    return a.assignment().size() == 4 && seen.size() == 500;
                });
        assertThat(duplicates).isEmpty();
        a.commit();
        assertThat(admin.admin().describeGroup("q", "g"))
                .allSatisfy(
                        p -> {
                            assertThat(p.lag()).isZero();
                            assertThat(p.owner()).contains("a");
                        });
        a.close();
    }

    @Test
    void aMemberWhoseSessionExpiredTakesItsPartitionsBackInPlaceAndResumesFromItsOwnPosition()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient admin = ZK.client(ns);
        admin.admin().createQueue("q", QueueConfig.builder().partitions(2).build());
        produce(admin, "q", 0, 100);

        ZkmqClient memberClient = ZK.client(ns);
        ZkmqConsumer member = memberClient.consumer("q", group("m"));
        List<String> read = new ArrayList<>();
        Deadline.await(
                "the member reads everything",
                Duration.ofSeconds(30),
                () -> {
                    member.poll(Duration.ofMillis(100)).forEach(r -> read.add(r.valueAsString()));
                    return read.size() == 100;
                });
        OwnerInfo before = admin.admin().readOwner("q", "g", 0).orElseThrow();
        // Nothing committed: resuming from the committed offset would return all 100 records again.

        expireSession(memberClient);
        produce(admin, "q", 100, 150);
        Deadline.await(
                "the records written after the session expired",
                Duration.ofSeconds(30),
                () -> {
                    member.poll(Duration.ofMillis(100)).forEach(r -> read.add(r.valueAsString()));
                    return read.size() >= 150;
                });
        assertThat(read)
                .as("resumed in place: nothing returned twice")
                .doesNotHaveDuplicates()
                .hasSize(150);
        for (int p = 0; p < 2; p++) {
            assertThat(admin.admin().readOwner("q", "g", p))
                    .as("owner of partition %d", p)
                    .hasValueSatisfying(
                            o -> {
                                assertThat(o.ownerId()).isEqualTo("m");
                                assertThat(o.sessionId()).isNotEqualTo(before.sessionId());
                                assertThat(o.epoch()).isGreaterThan(before.epoch());
                            });
        }
        member.commit();
        assertThat(admin.admin().describeGroup("q", "g"))
                .extracting(GroupPartitionInfo::lag)
                .containsOnly(0L);
        member.close();
    }

    @Test
    void aZombieCannotCommitAfterAnotherProcessOfTheSameMemberTookItsPartitionOver()
            throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient admin = ZK.client(ns);
        admin.admin().createQueue("q", QueueConfig.builder().partitions(2).build());
        produce(admin, "q", 0, 100);

        ZkmqConsumer zombie = ZK.client(ns).consumer("q", group("zombie"));
        List<QueueRecord> zombieRead = new ArrayList<>();
        Deadline.await(
                "the first member reads everything",
                Duration.ofSeconds(30),
                () -> {
                    zombieRead.addAll(zombie.poll(Duration.ofMillis(100)));
                    return zombieRead.size() == 100;
                });
        assertThat(zombie.assignment()).containsExactly(0, 1);

        // A new process of the same member (e.g. restarted while the old one hung) takes partition
        // 1 over
        // from its own session at once, under a newer epoch; the old one does not notice.
        ZkmqClient successor = ZK.client(ns);
        PartitionOwnership takeover =
                new PartitionOwnership(successor.curator(), new QueuePartition("q", 1), "g");
        OwnershipToken successorToken = takeover.tryTake("zombie").token().orElseThrow();
        assertThat(admin.admin().readOwner("q", "g", 1))
                .hasValueSatisfying(
                        o -> assertThat(o.sessionId()).isEqualTo(successor.sessionId()));

        assertThat(zombie.assignment()).contains(1);
        assertThatThrownBy(zombie::commit)
                .isInstanceOf(FencedException.class)
                .hasMessageContaining("owner 'zombie'")
                .hasMessageContaining("partition 1");
        assertThat(admin.admin().readCommitted("q", "g", 1)).isEmpty();
        assertThat(admin.admin().readCommitted("q", "g", 0))
                .as("the partition it still holds is committed")
                .hasValueSatisfying(c -> assertThat(c.position().offset()).isPositive());
        takeover.release(successorToken);
        zombie.close();
    }

    /** Expires a client's session on the server: opens a second handle on it and closes it. */
    private static void expireSession(ZkmqClient client) throws Exception {
        ZooKeeper zk = client.curator().getZookeeperClient().getZooKeeper();
        try (ZooKeeper twin =
                new ZooKeeper(
                        ZK.connectString(),
                        10_000,
                        e -> {},
                        client.sessionId(),
                        zk.getSessionPasswd())) {
            Deadline.await(
                    "the twin handle is connected",
                    Duration.ofSeconds(10),
                    () -> twin.getState().isConnected());
        }
    }

    @Test
    void aMemberWaitsForAForeignLockAndFailsClearlyAfterTheLockTimeout() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient admin = ZK.client(ns);
        admin.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
        // A foreign owner (e.g. a Flink job reading the same group) holds the partition lock.
        ZkmqClient foreign = ZK.client(ns);
        PartitionOwnership lock =
                new PartitionOwnership(foreign.curator(), new QueuePartition("q", 0), "g");
        assertThat(lock.tryTake("other-job").taken()).isTrue();

        ZkmqConsumer waiting =
                ZK.client(ns)
                        .consumer(
                                "q",
                                ConsumerOptions.builder()
                                        .group("g")
                                        .memberId("m")
                                        .lockTimeout(Duration.ofSeconds(2))
                                        .build());
        long start = System.nanoTime();
        assertThatThrownBy(
                        () -> {
                            while (System.nanoTime() - start < Duration.ofSeconds(20).toNanos()) {
                                waiting.poll(Duration.ofMillis(200));
                            }
                        })
                .isInstanceOf(OwnershipTimeoutException.class)
                .hasMessageContaining("partition 0")
                .hasMessageContaining("'other-job'");
        waiting.close();
    }

    @Test
    void aWaitingMemberProceedsOnceTheForeignLockIsReleased() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient admin = ZK.client(ns);
        admin.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
        produce(admin, "q", 0, 10);
        ZkmqClient foreign = ZK.client(ns);
        PartitionOwnership lock =
                new PartitionOwnership(foreign.curator(), new QueuePartition("q", 0), "g");
        OwnershipToken token = lock.tryTake("other-job").token().orElseThrow();

        ZkmqConsumer waiting = ZK.client(ns).consumer("q", group("m"));
        assertThat(waiting.poll(Duration.ofMillis(500))).isEmpty();
        assertThat(waiting.assignment()).isEmpty();
        lock.release(token);
        List<QueueRecord> read = new ArrayList<>();
        Deadline.await(
                "the member takes the released partition",
                Duration.ofSeconds(10),
                () -> {
                    read.addAll(waiting.poll(Duration.ofMillis(100)));
                    return read.size() == 10;
                });
        assertThat(waiting.assignment()).containsExactly(0);
        waiting.close();
    }

    @Test
    void partitionsAddedToTheQueueReachARunningGroupThroughTheConfigWatch() {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient admin = ZK.client(ns);
        admin.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
        ZkmqConsumer consumer = ZK.client(ns).consumer("q", group("m"));
        Deadline.await(
                "the member holds partition 0",
                Duration.ofSeconds(10),
                () -> {
                    consumer.poll(Duration.ofMillis(50));
                    return consumer.assignment().size() == 1;
                });
        ZkmqClient producerClient = ZK.client(ns);
        ZkmqProducer producer = producerClient.producer("q");
        admin.admin().addPartitions("q", 3);
        Deadline.await(
                "the running producer routes to the new partitions",
                Duration.ofSeconds(10),
                () -> producer.partitions() == 3);
        producer.send(2, Record.of("x", "in-new-partition")).join();
        List<QueueRecord> read = new ArrayList<>();
        Deadline.await(
                "the running consumer reads the new partition",
                Duration.ofSeconds(10),
                () -> {
                    read.addAll(consumer.poll(Duration.ofMillis(50)));
                    return !read.isEmpty();
                });
        assertThat(read)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.partition()).isEqualTo(2);
                            assertThat(r.valueAsString()).isEqualTo("in-new-partition");
                        });
        assertThat(consumer.assignment()).containsExactly(0, 1, 2);
        producer.close();
        consumer.close();
    }
}
