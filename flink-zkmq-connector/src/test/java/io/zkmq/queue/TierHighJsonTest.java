package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.InvalidConfigException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Golden JSON of a partition's {@code tierHigh} znode, as docs/format.md shows it. */
class TierHighJsonTest {
    private static final String PATH = "/queues/q/partitions/0/tierHigh";
    private static final String GOLDEN =
            "{\"version\":1,\"nextSeq\":1200,\"nextOffset\":90000,\"objects\":3,\"bytes\":201326592,"
                    + "\"nextBytes\":100663296}";

    @Test
    void tierHighIsWrittenAsVersionOneInTheDocumentedFieldOrderAndReadsBack() {
        TierHigh high = new TierHigh(1200, 90000, 3, 201326592, 100663296);
        assertThat(new String(high.toJson(), StandardCharsets.UTF_8)).isEqualTo(GOLDEN);
        assertThat(TierHigh.fromJson(GOLDEN.getBytes(StandardCharsets.UTF_8), PATH))
                .isEqualTo(high);
    }

    @Test
    void registeringAnEntryMovesTheEndAndCountsAndDeletingOneOnlyTheCounts() {
        TierObjectEntry entry =
                new TierObjectEntry(
                        "zkmq/q/0/0000000000000001200-0123456789abcdef.zkseg",
                        1200,
                        1299,
                        90000,
                        7500,
                        1 << 20,
                        1,
                        2,
                        7,
                        100663296,
                        101711872);
        TierHigh after = new TierHigh(1200, 90000, 3, 201326592, 100663296).plus(entry);
        assertThat(after).isEqualTo(new TierHigh(1300, 97500, 4, 201326592 + (1 << 20), 101711872));
        assertThat(after.minus(entry))
                .isEqualTo(new TierHigh(1300, 97500, 3, 201326592, 101711872));
    }

    @Test
    void aNewerVersionIsRefusedNamingTheZnode() {
        assertThatThrownBy(
                        () ->
                                TierHigh.fromJson(
                                        "{\"version\":2,\"nextSeq\":0}"
                                                .getBytes(StandardCharsets.UTF_8),
                                        PATH))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(PATH)
                .hasMessageContaining("version 2");
    }
}
