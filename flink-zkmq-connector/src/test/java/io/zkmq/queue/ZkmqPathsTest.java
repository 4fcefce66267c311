package io.zkmq.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZkmqPathsTest {
    @Test
    void batchPathsAreComputedFromTheBatchNumberAndSegmentSize() {
        assertThat(ZkmqPaths.batch("orders", 3, 0, 100))
                .isEqualTo(
                        "/queues/orders/partitions/3/seg/0000000000000000000/0000000000000000000");
        assertThat(ZkmqPaths.batch("orders", 3, 12_345, 100))
                .isEqualTo(
                        "/queues/orders/partitions/3/seg/0000000000000000123/0000000000000012345");
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
        assertThat(ZkmqPaths.offset("q", "g", 2))
                .isEqualTo("/queues/q/groups/g/partitions/2/offset");
        assertThat(ZkmqPaths.member("q", "producer", "id"))
                .isEqualTo("/queues/q/members/producer/id");
    }

    @Test
    void allMembersIsTheParentOfEveryRole() {
        assertThat(ZkmqPaths.allMembers("q")).isEqualTo("/queues/q/members");
        assertThat(ZkmqPaths.members("q", "consumer")).startsWith(ZkmqPaths.allMembers("q") + "/");
    }

    @Test
    void sinkQueuesIsTheParentOfEverySinkQueue() {
        assertThat(ZkmqPaths.sinkQueues("eo")).isEqualTo("/sinks/eo/queues");
        assertThat(ZkmqPaths.sinkQueue("eo", "q")).isEqualTo("/sinks/eo/queues/q");
    }

    @Test
    void childJoinsOneListedNameAndRejectsAnythingElse() {
        String segments = ZkmqPaths.segments("q", 1);
        assertThat(ZkmqPaths.child(segments, ZkmqPaths.pad(7)))
                .isEqualTo(ZkmqPaths.segment("q", 1, 7));
        assertThatThrownBy(() -> ZkmqPaths.child(segments, "a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a/b")
                .hasMessageContaining(segments);
        assertThatThrownBy(() -> ZkmqPaths.child(segments, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyDirectChildrenOfTheOwnStagedDirectoryAreStagedBatches() {
        String staged = ZkmqPaths.stagedBatch("q", 2, "eo-0-5", "a1", 0);
        assertThat(ZkmqPaths.isStagedBatch("q", 2, staged)).isTrue();
        assertThat(ZkmqPaths.isStagedBatch("q", 3, staged)).as("another partition").isFalse();
        assertThat(ZkmqPaths.isStagedBatch("q2", 2, staged)).as("another queue").isFalse();
        assertThat(ZkmqPaths.isStagedBatch("q", 2, ZkmqPaths.stagedBatches("q", 2) + "/"))
                .isFalse();
        assertThat(ZkmqPaths.isStagedBatch("q", 2, staged + "/deeper")).isFalse();
        assertThat(ZkmqPaths.isStagedBatch("q", 2, ZkmqPaths.stagedBatches("q", 2) + "x/y"))
                .isFalse();
    }
}
