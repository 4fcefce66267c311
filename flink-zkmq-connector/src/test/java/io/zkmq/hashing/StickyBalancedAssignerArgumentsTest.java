package io.zkmq.hashing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Invalid input is rejected with a message that names what is wrong. */
class StickyBalancedAssignerArgumentsTest {

    private final StickyBalancedAssigner assigner = StickyBalancedAssigner.numericOrder();

    @Test
    void nullCollectionsAndNullIdsAreRejected() {
        assertThatThrownBy(() -> assigner.assign(null, List.of("0"), Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("splits");
        assertThatThrownBy(() -> assigner.assign(List.of("a"), null, Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("readers");
        assertThatThrownBy(() -> assigner.assign(List.of("a"), List.of("0"), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("previousOwnerBySplit");
        assertThatThrownBy(() -> assigner.assign(Arrays.asList("a", null), List.of("0"), Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("splits must not contain null");
        assertThatThrownBy(() -> assigner.assign(List.of("a"), Arrays.asList("0", null), Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("readers must not contain null");
    }

    @Test
    void numericOrderRejectsANonDecimalReaderIdEvenWhenItIsTheOnlyReader() {
        assertThatThrownBy(() -> assigner.assign(List.of("a"), List.of("reader-x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'reader-x'")
                .hasMessageContaining("naturalOrder()");
        assertThatThrownBy(() -> assigner.assign(List.of("a"), List.of("1", "two"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'two'");
    }
}
