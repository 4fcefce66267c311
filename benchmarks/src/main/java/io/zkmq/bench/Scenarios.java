package io.zkmq.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of benchmark scenarios, in the order they run. */
final class Scenarios {

    private Scenarios() {}

    /**
     * Every scenario, in run order.
     *
     * <p>Add a scenario here to have it run by default and selectable with {@code --scenarios}.
     */
    static List<Scenario> all() {
        return List.of(
                new RawZkCreateScenario(),
                new CuratorQueueScenario(),
                new ZkmqScenario(),
                new FlinkSourceScenario(),
                new FlinkSinkScenario(),
                new EnumeratorStartupScenario(),
                new LatencyScenario(),
                new TieredScenario());
    }

    /**
     * The scenarios with the given names, in registry order.
     *
     * @throws IllegalArgumentException naming the unknown scenario and the known ones
     */
    static List<Scenario> select(List<String> names) {
        Map<String, Scenario> byName = new LinkedHashMap<>();
        for (Scenario scenario : all()) {
            byName.put(scenario.name(), scenario);
        }
        for (String name : names) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException(
                        "Unknown scenario '"
                                + name
                                + "'; known scenarios: "
                                + String.join(", ", byName.keySet()));
            }
        }
        List<Scenario> selected = new ArrayList<>();
        for (Scenario scenario : byName.values()) {
            if (names.contains(scenario.name())) {
                selected.add(scenario);
            }
        }
        return selected;
    }
}
