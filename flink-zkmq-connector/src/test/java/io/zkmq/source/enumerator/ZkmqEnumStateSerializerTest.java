package io.zkmq.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import io.zkmq.source.split.ZkmqSplit;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ZkmqEnumStateSerializerTest {
    private static final ZkmqEnumStateSerializer SERIALIZER = ZkmqEnumStateSerializer.INSTANCE;

    @Test
    void emptyStateSurvivesARoundTrip() throws IOException {
        ZkmqEnumState empty = ZkmqEnumState.empty();
        assertThat(SERIALIZER.deserialize(1, SERIALIZER.serialize(empty))).isEqualTo(empty);
    }

    @Test
    void fullStateSurvivesARoundTrip() throws IOException {
        TreeMap<QueuePartition, Integer> owners = new TreeMap<>();
        for (int p = 0; p < 50; p++) {
            owners.put(new QueuePartition(p % 2 == 0 ? "orders" : "payments", p), p % 7);
        }
        TreeSet<QueuePartition> held = new TreeSet<>(owners.keySet().stream().limit(30).toList());
        List<ZkmqSplit> unassigned =
                List.of(
                        ZkmqSplit.unread(
                                new QueuePartition("orders", 60),
                                StartingPosition.earliest(),
                                ZkmqSplit.NO_STOP),
                        ZkmqSplit.unread(
                                        new QueuePartition("orders", 61),
                                        StartingPosition.committed(StartingPosition.latest()),
                                        10)
                                .withPosition(new Position(3, 9)));
        TreeSet<QueuePartition> finished = new TreeSet<>(List.of(new QueuePartition("old", 0)));
        ZkmqEnumState state = new ZkmqEnumState(owners, held, unassigned, finished, true);
        assertThat(SERIALIZER.deserialize(1, SERIALIZER.serialize(state))).isEqualTo(state);
    }

    /** Bytes written by version 1; a format change that breaks old checkpoints fails here. */
    @Test
    void decodesBytesWrittenByVersion1() throws IOException {
        String partitionQ0 = "0001" + "71" + "00000000"; // queue "q", partition 0
        byte[] v1 =
                HexFormat.of()
                        .parseHex(
                                "00000001"
                                        + partitionQ0
                                        + "00000002" // owners: q-0 -> reader 2
                                        + "00000001"
                                        + partitionQ0 // held: q-0
                                        + "00000001"
                                        + "0001"
                                        + "71"
                                        + "00000001"
                                        + "00"
                                        + "00"
                                        + "7fffffffffffffff" // unassigned: q-1 earliest
                                        + "00000000" // finished: none
                                        + "01"); // initial discovery done
        ZkmqEnumState state = SERIALIZER.deserialize(1, v1);
        QueuePartition q0 = new QueuePartition("q", 0);
        assertThat(state.lastOwner()).containsExactly(java.util.Map.entry(q0, 2));
        assertThat(state.held()).containsExactly(q0);
        assertThat(state.unassigned())
                .containsExactly(
                        ZkmqSplit.unread(
                                new QueuePartition("q", 1),
                                StartingPosition.earliest(),
                                ZkmqSplit.NO_STOP));
        assertThat(state.finished()).isEmpty();
        assertThat(state.initialDiscoveryDone()).isTrue();
        assertThat(SERIALIZER.serialize(state)).isEqualTo(v1);
    }

    @Test
    void rejectsAnUnknownVersionAndTrailingBytes() throws IOException {
        assertThatThrownBy(() -> SERIALIZER.deserialize(9, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown version 9");
        byte[] good = SERIALIZER.serialize(ZkmqEnumState.empty());
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> SERIALIZER.deserialize(1, longer))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("trailing");
    }
}
