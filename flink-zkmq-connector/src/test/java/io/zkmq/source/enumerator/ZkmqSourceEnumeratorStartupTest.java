package io.zkmq.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.hashing.StickyBalancedAssigner;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.ZkmqSource;
import io.zkmq.source.split.ZkmqSplit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

/**
 * The enumerator on Flink's testing context (no cluster, no ZooKeeper: {@code start()} is not
 * called, the splits come from a checkpoint taken before any reader registered): readers
 * registering one by one, late, or again after a failover.
 */
class ZkmqSourceEnumeratorStartupTest {

    private static final ZkmqSource<String> SOURCE =
            ZkmqSource.<String>builder()
                    .setProperties(Map.of("zookeeper", "127.0.0.1:1", "queues", "q", "group", "g"))
                    .setValueOnlyDeserializer(new SimpleStringSchema())
                    .build();

    private static List<ZkmqSplit> splits(int queues, int partitionsEach) {
        List<ZkmqSplit> splits = new ArrayList<>();
        for (int q = 0; q < queues; q++) {
            for (int p = 0; p < partitionsEach; p++) {
                splits.add(
                        ZkmqSplit.unread(
                                new QueuePartition("queue-" + q, p),
                                StartingPosition.earliest(),
                                ZkmqSplit.NO_STOP));
            }
        }
        return splits;
    }

    /** A checkpoint taken before any reader registered: every split is unassigned in it. */
    private static ZkmqEnumState unassignedCheckpoint(List<ZkmqSplit> splits) {
        return new ZkmqEnumState(new TreeMap<>(), new TreeSet<>(), splits, new TreeSet<>(), true);
    }

    private static ZkmqSourceEnumerator enumerator(
            TestingSplitEnumeratorContext<ZkmqSplit> context, ZkmqEnumState state) {
        return (ZkmqSourceEnumerator) SOURCE.restoreEnumerator(context, state);
    }

    private static void register(
            TestingSplitEnumeratorContext<ZkmqSplit> context,
            ZkmqSourceEnumerator enumerator,
            int reader,
            List<ZkmqSplit> reported) {
        context.registeredReaders()
                .put(reader, ReaderInfo.createReaderInfo(reader, "host-" + reader, reported));
        enumerator.addReader(reader);
    }

    /**
     * Every split currently assigned, by reader (what the context received, minus what came back).
     */
    private static Map<Integer, List<QueuePartition>> assigned(
            TestingSplitEnumeratorContext<ZkmqSplit> context) {
        Map<Integer, List<QueuePartition>> byReader = new TreeMap<>();
        context.getSplitAssignments()
                .forEach(
                        (reader, state) ->
                                byReader.put(
                                        reader,
                                        state.getAssignedSplits().stream()
                                                .map(ZkmqSplit::queuePartition)
                                                .toList()));
        return byReader;
    }

    @Test
    void tenThousandSplitsToAThousandReadersRegisteringOneByOneCostOneAssignmentNotOnePerReader() {
        List<ZkmqSplit> splits = splits(100, 100);
        int parallelism = 1000;
        TestingSplitEnumeratorContext<ZkmqSplit> context =
                new TestingSplitEnumeratorContext<>(parallelism);
        ZkmqSourceEnumerator enumerator = enumerator(context, unassignedCheckpoint(splits));

        List<Integer> order = new ArrayList<>(IntStream.range(0, parallelism).boxed().toList());
        Collections.shuffle(order, new Random(7)); // readers register in any order, some late
        for (int reader : order) {
            register(context, enumerator, reader, List.of());
        }

        Map<Integer, List<QueuePartition>> assigned = assigned(context);
        assertThat(assigned).hasSize(parallelism);
        assertThat(assigned.values()).allSatisfy(mine -> assertThat(mine).hasSize(10));
        assertThat(assigned.values().stream().flatMap(List::stream).distinct().count())
                .isEqualTo(splits.size());
        assertThat(enumerator.snapshotState(1).unassigned()).isEmpty();

        long oneAssignment =
                StickyBalancedAssigner.numericOrder()
                        .assign(
                                splits.stream().map(ZkmqSplit::splitId).toList(),
                                IntStream.range(0, parallelism)
                                        .mapToObj(Integer::toString)
                                        .toList(),
                                Map.of())
                        .scoreEvaluations();
        assertThat(oneAssignment).as("one assignment from scratch evaluates scores").isPositive();
        assertThat(enumerator.scoreEvaluations())
                .as(
                        "score evaluations of the whole start-up, against %d for one assignment",
                        oneAssignment)
                .isLessThanOrEqualTo(2 * oneAssignment);
    }

    @Test
    void
            aCheckpointTakenBeforeAllReadersRegisteredHoldsTheUnassignedSplitsAndTheRestoreKeepsTheOwners() {
        List<ZkmqSplit> splits = splits(4, 10);
        TestingSplitEnumeratorContext<ZkmqSplit> context = new TestingSplitEnumeratorContext<>(4);
        ZkmqSourceEnumerator enumerator = enumerator(context, unassignedCheckpoint(splits));
        register(context, enumerator, 0, List.of());
        register(context, enumerator, 2, List.of());
        Map<Integer, List<QueuePartition>> before = assigned(context);
        assertThat(before.keySet()).containsExactly(0, 2);

        ZkmqEnumState checkpoint = enumerator.snapshotState(1);
        assertThat(checkpoint.held()).hasSize(20);
        assertThat(checkpoint.unassigned()).as("splits waiting for readers 1 and 3").hasSize(20);

        // Restore: readers 0 and 2 report their splits (with positions), 1 and 3 start empty.
        TestingSplitEnumeratorContext<ZkmqSplit> after = new TestingSplitEnumeratorContext<>(4);
        ZkmqSourceEnumerator restored = enumerator(after, checkpoint);
        for (int reader = 3; reader >= 0; reader--) {
            List<ZkmqSplit> reported = new ArrayList<>();
            for (QueuePartition p : before.getOrDefault(reader, List.of())) {
                reported.add(
                        ZkmqSplit.unread(p, StartingPosition.earliest(), ZkmqSplit.NO_STOP)
                                .withPosition(new Position(1, 5)));
            }
            register(after, restored, reader, reported);
        }
        Map<Integer, List<QueuePartition>> now = assigned(after);
        assertThat(now.get(0)).containsExactlyInAnyOrderElementsOf(before.get(0));
        assertThat(now.get(2)).containsExactlyInAnyOrderElementsOf(before.get(2));
        assertThat(now.values()).allSatisfy(mine -> assertThat(mine).hasSize(10));
        assertThat(now.values().stream().flatMap(List::stream).distinct().count()).isEqualTo(40);
        assertThat(after.getSplitAssignments().get(0).getAssignedSplits())
                .allSatisfy(s -> assertThat(s.position()).contains(new Position(1, 5)));
    }

    @Test
    void splitsAddedBackBeforeAllReadersRegisteredReturnToTheirReaderWhenItRegistersAgain() {
        List<ZkmqSplit> splits = splits(2, 20);
        TestingSplitEnumeratorContext<ZkmqSplit> context = new TestingSplitEnumeratorContext<>(4);
        ZkmqSourceEnumerator enumerator = enumerator(context, unassignedCheckpoint(splits));
        for (int reader = 0; reader < 3; reader++) {
            register(context, enumerator, reader, List.of());
        }
        List<ZkmqSplit> ofReader1 =
                List.copyOf(context.getSplitAssignments().get(1).getAssignedSplits());
        assertThat(ofReader1).hasSize(10);

        // Reader 1 fails before reader 3 ever registered: its splits come back.
        context.registeredReaders().remove(1);
        enumerator.addSplitsBack(ofReader1, 1);
        assertThat(enumerator.snapshotState(2).unassigned()).hasSize(20);
        register(context, enumerator, 3, List.of());
        assertThat(context.getSplitAssignments().get(3).getAssignedSplits())
                .hasSize(10)
                .noneMatch(ofReader1::contains);

        Map<Integer, Integer> before = new HashMap<>();
        context.getSplitAssignments()
                .forEach((r, s) -> before.put(r, s.getAssignedSplits().size()));
        register(context, enumerator, 1, List.of());
        List<ZkmqSplit> all1 = context.getSplitAssignments().get(1).getAssignedSplits();
        assertThat(all1.subList(before.get(1), all1.size()))
                .containsExactlyInAnyOrderElementsOf(ofReader1);
        assertThat(enumerator.snapshotState(3).unassigned()).isEmpty();
    }
}
