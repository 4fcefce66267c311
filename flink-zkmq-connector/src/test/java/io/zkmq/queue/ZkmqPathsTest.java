package io.zkmq.queue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZkmqPathsTest {
    @Test
    void batchPathsAreComputedFromTheBatchNumberAndSegmentSize() {
        assertThat(ZkmqPaths.batch("orders", 3, 0, 100))
                .isEqualTo("/queues/orders/partitions/3/seg/0000000000000000000/0000000000000000000");
        assertThat(ZkmqPaths.batch("orders", 3, 12_345, 100))
                .isEqualTo("/queues/orders/partitions/3/seg/0000000000000000123/0000000000000012345");
        assertThat(ZkmqPaths.batch("q", 0, Long.MAX_VALUE, 10_000))
                .endsWith("/seg/0000922337203685477/9223372036854775807");
    }

    @Test
    void paddingMakesTextOrderNumericOrder() {
        List<String> padded = new ArrayList<>();
        for (long v : new long[] {0, 9, 10, 99, 100, 1_000_000_007L, Long.MAX_VALUE}) {
            padded.add(ZkmqPaths.pad(v));
        }
        assertThat(padded).isSorted().allSatisfy(s -> assertThat(s).hasSize(19));
        assertThatThrownBy(() -> ZkmqPaths.pad(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupAndMemberPathsLiveUnderTheQueue() {
        assertThat(ZkmqPaths.epoch("q", "g", 2)).isEqualTo("/queues/q/groups/g/partitions/2/epoch");
        assertThat(ZkmqPaths.owner("q", "g", 2)).isEqualTo("/queues/q/groups/g/partitions/2/owner");
        assertThat(ZkmqPaths.offset("q", "g", 2)).isEqualTo("/queues/q/groups/g/partitions/2/offset");
        assertThat(ZkmqPaths.member("q", "producer", "id")).isEqualTo("/queues/q/members/producer/id");
    }
}
