package io.zkmq.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.ZKPaths;

/**
 * What every scenario gets: where ZooKeeper is and the workload settings from the command line.
 *
 * @param connectString ZooKeeper connect string, {@code host:port[,host:port...]}
 * @param duration how long each measured phase of a scenario runs
 * @param recordSize bytes per record, for the workloads that write one record per znode
 * @param batchBytes bytes per znode, for the workloads that write large znodes
 * @param flinkRecords records the Flink source scenario pre-fills its queue with and then reads,
 *     and that each job of the Flink sink scenario generates and writes
 * @param flinkParallelism parallelism of the Flink scenarios' jobs (source readers, sink writers)
 * @param tieredDuration how long the tiered scenario produces (minutes, so that most data leaves
 *     ZooKeeper for the tier)
 */
public record ScenarioContext(
        String connectString,
        Duration duration,
        int recordSize,
        int batchBytes,
        long flinkRecords,
        int flinkParallelism,
        Duration tieredDuration) {

    /** Parent of every scenario's scratch znodes. */
    static final String SCRATCH_ROOT = "/zkmq-bench";

    /**
     * Default of {@link #flinkRecords()}: about 5 s of reading at the ~2 million records/s measured
     * on 2 cores.
     */
    static final long DEFAULT_FLINK_RECORDS = 10_000_000;

    /** Default of {@link #flinkParallelism()}. */
    static final int DEFAULT_FLINK_PARALLELISM = 2;

    /** Default of {@link #tieredDuration()}. */
    static final Duration DEFAULT_TIERED_DURATION = Duration.ofMinutes(2);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    public ScenarioContext {
        requireNonNull(connectString, "connectString");
        requireNonNull(duration, "duration");
        requireNonNull(tieredDuration, "tieredDuration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        if (tieredDuration.isNegative() || tieredDuration.isZero()) {
            throw new IllegalArgumentException(
                    "tieredDuration must be positive, got " + tieredDuration);
        }
        if (recordSize <= 0 || batchBytes <= 0) {
            throw new IllegalArgumentException(
                    "recordSize and batchBytes must be positive, got "
                            + recordSize
                            + " and "
                            + batchBytes);
        }
        if (flinkRecords <= 0 || flinkParallelism <= 0) {
            throw new IllegalArgumentException(
                    "flinkRecords and flinkParallelism must be positive, got "
                            + flinkRecords
                            + " and "
                            + flinkParallelism);
        }
    }

    /** A context with the default tiered-scenario duration. */
    public ScenarioContext(
            String connectString,
            Duration duration,
            int recordSize,
            int batchBytes,
            long flinkRecords,
            int flinkParallelism) {
        this(
                connectString,
                duration,
                recordSize,
                batchBytes,
                flinkRecords,
                flinkParallelism,
                DEFAULT_TIERED_DURATION);
    }

    /** A context with the default Flink settings. */
    public ScenarioContext(
            String connectString, Duration duration, int recordSize, int batchBytes) {
        this(
                connectString,
                duration,
                recordSize,
                batchBytes,
                DEFAULT_FLINK_RECORDS,
                DEFAULT_FLINK_PARALLELISM);
    }

    /**
     * A started Curator client that is connected, or an exception naming the server that did not
     * answer.
     *
     * <p>The client never retries: a connection loss during a measurement must fail the scenario,
     * not hide inside its figure. The caller closes the client.
     */
    public CuratorFramework connect() throws InterruptedException {
        CuratorFramework client =
                CuratorFrameworkFactory.builder()
                        .connectString(connectString)
                        .sessionTimeoutMs(60_000)
                        .connectionTimeoutMs((int) CONNECT_TIMEOUT.toMillis())
                        .retryPolicy(new RetryNTimes(0, 0))
                        .build();
        client.start();
        if (!client.blockUntilConnected((int) CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            client.close();
            throw new IllegalStateException(
                    "ZooKeeper at "
                            + connectString
                            + " did not accept a session within "
                            + CONNECT_TIMEOUT.toSeconds()
                            + " s");
        }
        return client;
    }

    /**
     * A fresh, not yet created znode path for one run of the named scenario, under {@link
     * #SCRATCH_ROOT}.
     */
    public String newScratchPath(String scenarioName) {
        byte[] suffix = new byte[4];
        ThreadLocalRandom.current().nextBytes(suffix);
        return ZKPaths.makePath(
                SCRATCH_ROOT, scenarioName + "-" + HexFormat.of().formatHex(suffix));
    }
}
