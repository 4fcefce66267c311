package io.zkmq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ScenariosTest {

    @Test
    void selectsInRegistryOrderWhateverTheOrderAsked() {
        assertThat(Scenarios.select(List.of("curator_queue", "raw_zk_create")))
                .extracting(Scenario::name)
                .containsExactly("raw_zk_create", "curator_queue");
    }

    @Test
    void namesTheKnownScenariosWhenAskedForAnUnknownOne() {
        assertThatThrownBy(() -> Scenarios.select(List.of("zkmq_produce")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'zkmq_produce'")
                .hasMessageContaining("raw_zk_create, curator_queue");
    }
}
