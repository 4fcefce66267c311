package io.zkmq.bench;

import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;

/**
 * ZooKeeper's own ceiling for this project's data path: asynchronous creates, no recipe on top.
 *
 * <p>Two phases of {@link ScenarioContext#duration()} each:
 *
 * <ol>
 *   <li>znodes of {@code --batch-bytes} (a ZKMQ batch) with {@value #LARGE_IN_FLIGHT} in flight:
 *       the byte throughput ZKMQ's batches can at best reach;
 *   <li>znodes of {@code --record-size} (one record per znode) with {@value #SMALL_IN_FLIGHT} in
 *       flight: the request-rate ceiling that any znode-per-message queue lives under.
 * </ol>
 */
final class RawZkCreateScenario implements Scenario {

    static final String NAME = "raw_zk_create";

    private static final int LARGE_IN_FLIGHT = 16;
    private static final int SMALL_IN_FLIGHT = 100;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Result> run(ScenarioContext context) throws Exception {
        String base = context.newScratchPath(NAME);
        String large = ZKPaths.makePath(base, "large");
        String small = ZKPaths.makePath(base, "small");
        try (CuratorFramework client = context.connect()) {
            return ZnodeCleaner.runThenDelete(
                    client,
                    base,
                    () -> {
                        Throughput batches =
                                new AsyncCreateLoad(client, large, LARGE_IN_FLIGHT)
                                        .run(
                                                Payloads.random(context.batchBytes()),
                                                context.duration());
                        // Free the server's heap before the next phase.
                        ZnodeCleaner.deleteRecursively(client, large);
                        Throughput records =
                                new AsyncCreateLoad(client, small, SMALL_IN_FLIGHT)
                                        .run(
                                                Payloads.random(context.recordSize()),
                                                context.duration());
                        return List.of(
                                new Result(NAME + "_MBps", batches.megabytesPerSecond(), "MB/s"),
                                new Result(NAME + "_znodes_per_s", batches.perSecond(), "znodes/s"),
                                new Result(NAME + "_small_per_s", records.perSecond(), "znodes/s"));
                    });
        }
    }
}
