package io.zkmq.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.StartingPosition;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ZkmqSplitSerializerTest {
    private static final ZkmqSplitSerializer SERIALIZER = ZkmqSplitSerializer.INSTANCE;
    private static final QueuePartition ORDERS_3 = new QueuePartition("orders", 3);

    static List<ZkmqSplit> splits() {
        return List.of(
                ZkmqSplit.unread(ORDERS_3, StartingPosition.earliest(), ZkmqSplit.NO_STOP),
                ZkmqSplit.unread(ORDERS_3, StartingPosition.latest(), 500),
                ZkmqSplit.unread(ORDERS_3, StartingPosition.offset(42), ZkmqSplit.NO_STOP),
                ZkmqSplit.unread(ORDERS_3, StartingPosition.timestamp(1_700_000_000_000L), 0),
                ZkmqSplit.unread(
                        ORDERS_3,
                        StartingPosition.committed(StartingPosition.latest()),
                        ZkmqSplit.NO_STOP),
                ZkmqSplit.unread(
                        ORDERS_3, StartingPosition.committed(StartingPosition.timestamp(7)), 9),
                ZkmqSplit.unread(
                        ORDERS_3,
                        StartingPosition.offsets(
                                Map.of(ORDERS_3, 11L), StartingPosition.earliest()),
                        ZkmqSplit.NO_STOP),
                ZkmqSplit.unread(
                                new QueuePartition("a-b.c_d", 0),
                                StartingPosition.earliest(),
                                ZkmqSplit.NO_STOP)
                        .withPosition(new Position(7, 1234)));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void everySplitSurvivesARoundTrip(ZkmqSplit split) throws IOException {
        ZkmqSplit back =
                SERIALIZER.deserialize(SERIALIZER.getVersion(), SERIALIZER.serialize(split));
        assertThat(back).isEqualTo(split);
        assertThat(back.splitId()).isEqualTo(split.splitId());
    }

    @Test
    void offsetsStartingPositionBecomesThePartitionsOwnOffsetInTheSplit() {
        ZkmqSplit split =
                ZkmqSplit.unread(
                        ORDERS_3,
                        StartingPosition.offsets(Map.of(ORDERS_3, 11L), StartingPosition.latest()),
                        ZkmqSplit.NO_STOP);
        assertThat(split.start()).isEqualTo(StartingPosition.offset(11));
        ZkmqSplit other =
                ZkmqSplit.unread(
                        new QueuePartition("orders", 4),
                        StartingPosition.committed(
                                StartingPosition.offsets(
                                        Map.of(ORDERS_3, 11L), StartingPosition.latest())),
                        ZkmqSplit.NO_STOP);
        assertThat(other.start()).isEqualTo(StartingPosition.committed(StartingPosition.latest()));
    }

    /** Bytes written by version 1; a format change that breaks old checkpoints fails here. */
    @Test
    void decodesBytesWrittenByVersion1() throws IOException {
        byte[] v1 =
                HexFormat.of()
                        .parseHex(
                                "0006"
                                        + "6f7264657273"
                                        + "00000003"
                                        + "01"
                                        + "0000000000000007"
                                        + "00000000000004d2"
                                        + "04"
                                        + "02"
                                        + "0000000000000000"
                                        + "00000000000001f4");
        ZkmqSplit expected =
                ZkmqSplit.unread(
                                ORDERS_3,
                                StartingPosition.committed(StartingPosition.offset(0)),
                                500)
                        .withPosition(new Position(7, 1234));
        assertThat(SERIALIZER.deserialize(1, v1)).isEqualTo(expected);
        assertThat(SERIALIZER.serialize(expected)).isEqualTo(v1);
    }

    @Test
    void rejectsAnUnknownVersionNamingIt() {
        assertThatThrownBy(() -> SERIALIZER.deserialize(2, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown version 2");
    }
}
