package io.zkmq.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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

    @Test
    void enumeratorStartupReportsTheWallTimeOfAssigningTenThousandSplitsToAThousandReaders()
            throws Exception {
        // Needs no ZooKeeper: the enumerator is not started.
        ScenarioContext context =
                new ScenarioContext("127.0.0.1:1", Duration.ofMillis(300), 100, 64 * 1024);

        List<Result> results = new EnumeratorStartupScenario().run(context);

        assertThat(results)
                .extracting(Result::name)
                .containsExactly("enumerator_startup_ms_10k_1k");
        assertThat(results.get(0).value()).isPositive();
    }
}
