package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.queue.QueuePartition;
import org.junit.jupiter.api.Test;

/**
 * What a reader remembers of the staged batches its references stood for, and which second
 * references it finds.
 */
class StagedReferencesTest {
    private static final String STAGED = "/queues/q/partitions/0/staged/";
    private final StagedReferences refs = new StagedReferences(new QueuePartition("q", 0));

    private void record(long seq, String name) {
        refs.record(seq, "/queues/q/partitions/0/seg/x/" + seq, STAGED + name);
    }

    @Test
    void theSameBatchParsedAgainIsNoSecondReference() {
        record(5, "sink-0-1.abc.0");

        assertThatCode(() -> record(5, "sink-0-1.abc.0")).doesNotThrowAnyException();
    }

    @Test
    void aSecondReferenceNamesTheFirstSeq() {
        record(5, "sink-0-1.abc.0");
        record(6, "sink-0-1.abc.1");
        record(7, "other-0-1.def.0");

        assertThatThrownBy(() -> record(9, "sink-0-1.abc.0"))
                .isInstanceOf(CorruptBatchException.class)
                .hasMessageContaining("Batch 9 of queue 'q' partition 0")
                .hasMessageContaining(STAGED + "sink-0-1.abc.0")
                .hasMessageContaining("first by seq 5");
    }

    @Test
    void aNameNotOfTheCommittersFormIsCheckedByItsWholePath() {
        record(1, "handwritten");

        assertThatThrownBy(() -> record(2, "handwritten")).hasMessageContaining("first by seq 1");
    }

    @Test
    void forgettingFromASeqLetsTheReaderReadThoseReferencesAgain() {
        record(5, "t.a.0");
        record(6, "t.a.1");
        refs.forgetFrom(6);

        assertThatCode(() -> record(6, "t.a.1")).doesNotThrowAnyException();
        assertThatThrownBy(() -> record(8, "t.a.0")).hasMessageContaining("first by seq 5");
    }

    @Test
    void onlyTheMostRecentReferencesAreRemembered() {
        record(0, "old.a.0");
        for (int i = 1; i <= StagedReferences.MAX_REMEMBERED; i++) {
            record(i, "t" + i + ".a.0");
        }

        // Forgotten: the bound of the memory, documented in docs/format.md.
        assertThatCode(() -> record(StagedReferences.MAX_REMEMBERED + 1, "old.a.0"))
                .doesNotThrowAnyException();
        assertThatThrownBy(
                        () ->
                                record(
                                        StagedReferences.MAX_REMEMBERED + 2,
                                        "t" + StagedReferences.MAX_REMEMBERED + ".a.0"))
                .isInstanceOf(CorruptBatchException.class);
    }
}
