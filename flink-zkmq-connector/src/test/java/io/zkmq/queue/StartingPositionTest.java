package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one start-position value of the Java consumer and the Flink source. */
class StartingPositionTest {
    private static final QueuePartition P0 = new QueuePartition("orders", 0);
    private static final QueuePartition P1 = new QueuePartition("orders", 1);

    @Test
    void perPartitionTurnsGivenOffsetsIntoThatPartitionsOffsetOrTheFallback() {
        StartingPosition start =
                StartingPosition.offsets(Map.of(P0, 42L), StartingPosition.latest());

        assertThat(start.isPerPartition()).isFalse();
        assertThat(start.perPartition(P0)).isEqualTo(StartingPosition.offset(42));
        assertThat(start.perPartition(P0).offset()).isEqualTo(42);
        assertThat(start.perPartition(P1)).isEqualTo(StartingPosition.latest());
    }

    @Test
    void perPartitionRefusesCommittedNamingThePartition() {
        StartingPosition committed = StartingPosition.committed(StartingPosition.earliest());

        assertThatThrownBy(() -> committed.perPartition(P1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue 'orders' partition 1")
                .hasMessageContaining("committed")
                .hasMessageContaining("earliest, latest, an offset or a timestamp");
    }

    @Test
    void accessorsAnswerOnlyForTheirKind() {
        assertThat(StartingPosition.offset(7).offset()).isEqualTo(7);
        assertThat(StartingPosition.offset(7).timestamp()).isEqualTo(-1);
        assertThat(StartingPosition.timestamp(9).timestamp()).isEqualTo(9);
        assertThat(StartingPosition.timestamp(9).offset()).isEqualTo(-1);
        assertThat(StartingPosition.timestamp(9).isTimestamp()).isTrue();
        assertThat(StartingPosition.earliest().isEarliest()).isTrue();
        assertThat(StartingPosition.latest().isLatest()).isTrue();
        assertThat(StartingPosition.latest().isPerPartition()).isTrue();
    }

    @Test
    void parseReadsEveryTextFormAndNamesTheBadText() {
        assertThat(StartingPosition.parse(" Earliest ")).isEqualTo(StartingPosition.earliest());
        assertThat(StartingPosition.parse("42")).isEqualTo(StartingPosition.offset(42));
        assertThat(StartingPosition.parse("timestamp:5")).isEqualTo(StartingPosition.timestamp(5));
        assertThat(StartingPosition.parse("committed-or-latest"))
                .isEqualTo(StartingPosition.committed(StartingPosition.latest()));
        assertThatThrownBy(() -> StartingPosition.parse("-3"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("'-3'");
    }

    @Test
    void survivesJavaSerializationAsTheFlinkSourceShipsIt() throws Exception {
        StartingPosition shipped =
                StartingPosition.committed(
                        StartingPosition.offsets(Map.of(P0, 3L), StartingPosition.earliest()));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(shipped);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(shipped);
        }
    }
}
