package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.coordination.OwnershipToken;
import io.zkmq.coordination.PartitionOwnership;
import io.zkmq.error.FencedException;
import io.zkmq.error.GroupActiveException;
import io.zkmq.error.GroupNotFoundException;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GroupAdminTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static ZkmqClient queueWithRecords(String ns, int records) {
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
        try (ZkmqProducer producer = client.producer("q")) {
            for (int i = 0; i < records; i++) {
                producer.send(Record.of(null, "v" + i));
            }
            producer.flush();
        }
        return client;
    }

    private static void commit(ZkmqClient client, long offset) throws Exception {
        PartitionOwnership lock =
                new PartitionOwnership(
                        client.curator(), new io.zkmq.queue.QueuePartition("q", 0), "g");
        OwnershipToken token = lock.tryTake("member-a").token().orElseThrow();
        Position position = client.admin().resolvePosition("q", 0, StartingPosition.offset(offset));
        lock.commit(token, new CommittedPosition(position, token.epoch(), -1));
        lock.release(token);
    }

    @Test
    void aDryRunChangesNothingAndExecuteMovesTheCommittedOffset() throws Exception {
        ZkmqClient client = queueWithRecords(ZooKeeperExtension.freshNamespace(), 10);
        commit(client, 7);
        GroupAdmin groups = client.admin().groups();

        List<OffsetReset> plan =
                groups.planReset("q", "g", List.of(), ResetTarget.to(StartingPosition.offset(2)));
        assertThat(plan).containsExactly(new OffsetReset(0, OptionalLong.of(7), 2));
        assertThat(client.admin().readCommitted("q", "g", 0).orElseThrow().position().offset())
                .isEqualTo(7);

        groups.resetOffsets("q", "g", List.of(), ResetTarget.shiftBy(-100));
        assertThat(client.admin().readCommitted("q", "g", 0).orElseThrow().position().offset())
                .isZero();
    }

    @Test
    void anOffsetOutOfRangeInOnePartitionWritesNoPartition() throws Exception {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = ZK.client(ns);
        client.admin().createQueue("q", QueueConfig.builder().partitions(2).build());
        try (ZkmqProducer producer = client.producer("q")) {
            for (int i = 0; i < 10; i++) {
                producer.send(0, Record.of(null, "v" + i));
            }
            producer.send(1, Record.of(null, "w"));
            producer.flush();
        }
        commit(client, 7);

        assertThatThrownBy(
                        () ->
                                client.admin()
                                        .groups()
                                        .resetOffsets(
                                                "q",
                                                "g",
                                                List.of(),
                                                ResetTarget.to(StartingPosition.offset(5))))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("partition 1");
        assertThat(client.admin().readCommitted("q", "g", 0).orElseThrow().position().offset())
                .isEqualTo(7);
    }

    @Test
    void aMemberThatHeldThePartitionBeforeTheResetCannotOverwriteIt() throws Exception {
        ZkmqClient client = queueWithRecords(ZooKeeperExtension.freshNamespace(), 10);
        commit(client, 3);
        // A member whose lock went away (session expired) but that still holds its old token.
        PartitionOwnership memberLock =
                new PartitionOwnership(
                        client.curator(), new io.zkmq.queue.QueuePartition("q", 0), "g");
        OwnershipToken stale = memberLock.tryTake("member-b").token().orElseThrow();
        memberLock.release(stale);

        client.admin()
                .groups()
                .resetOffsets("q", "g", List.of(), ResetTarget.to(StartingPosition.latest()));

        Position old = client.admin().resolvePosition("q", 0, StartingPosition.offset(3));
        assertThatThrownBy(
                        () ->
                                memberLock.commit(
                                        stale, new CommittedPosition(old, stale.epoch(), -1)))
                .isInstanceOf(FencedException.class);
        assertThat(client.admin().readCommitted("q", "g", 0).orElseThrow().position().offset())
                .isEqualTo(10);
    }

    @Test
    void resetAndDeleteAreRefusedWhileTheGroupHasALiveMemberAndNameIt() {
        String ns = ZooKeeperExtension.freshNamespace();
        ZkmqClient client = queueWithRecords(ns, 10);
        try (ZkmqConsumer member =
                ZK.client(ns)
                        .consumer(
                                "q",
                                ConsumerOptions.builder()
                                        .group("g")
                                        .memberId("member-live")
                                        .joinMaintenance(false)
                                        .build())) {
            Deadline.await(
                    "the member holds the partition",
                    Duration.ofSeconds(20),
                    () -> {
                        member.poll(Duration.ofMillis(50));
                        return member.assignment().contains(0);
                    });
            GroupAdmin groups = client.admin().groups();

            assertThatThrownBy(
                            () ->
                                    groups.resetOffsets(
                                            "q",
                                            "g",
                                            List.of(),
                                            ResetTarget.to(StartingPosition.earliest())))
                    .isInstanceOf(GroupActiveException.class)
                    .hasMessageContaining("live members: member-live")
                    .hasMessageContaining("partition 0 by owner 'member-live'");
            assertThatThrownBy(() -> groups.deleteGroup("q", "g"))
                    .isInstanceOf(GroupActiveException.class)
                    .hasMessageContaining("member-live");
        }
        client.admin().groups().deleteGroup("q", "g");
        assertThat(client.admin().listGroups("q")).isEmpty();
        assertThatThrownBy(() -> client.admin().groups().deleteGroup("q", "g"))
                .isInstanceOf(GroupNotFoundException.class)
                .hasMessageContaining("/" + ns + "/queues/q/groups/g");
    }
}
