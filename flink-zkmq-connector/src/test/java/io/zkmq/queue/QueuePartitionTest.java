package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueuePartitionTest {
    @Test
    void describeRendersTheStandardPhraseOfMessages() {
        QueuePartition qp = new QueuePartition("orders", 3);
        assertThat(qp.describe()).isEqualTo("queue 'orders' partition 3");
        assertThat(qp).hasToString(qp.describe());
        assertThat("Batch 7 of " + qp).isEqualTo("Batch 7 of queue 'orders' partition 3");
    }

    @Test
    void rejectsAnEmptyQueueOrANegativePartition() {
        assertThatThrownBy(() -> new QueuePartition("", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueuePartition("q", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'q'")
                .hasMessageContaining("-1");
    }

    @Test
    void ordersByQueueThenPartition() {
        assertThat(new QueuePartition("a", 9)).isLessThan(new QueuePartition("b", 0));
        assertThat(new QueuePartition("a", 2)).isLessThan(new QueuePartition("a", 10));
    }
}
