package io.zkmq.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * What the Flink scenarios share: a scratch chroot for their queues, and jobs run with a deadline.
 */
final class FlinkJobs {
    /** A job slower than this has failed to make progress, not measured something. */
    private static final long SLOWEST_RECORDS_PER_S = 20_000;

    private static final Duration MIN_JOB_TIMEOUT = Duration.ofMinutes(2);

    private FlinkJobs() {}

    /**
     * A measurement given the connect string of a fresh scratch tree (used as the chroot of every
     * client).
     */
    interface Measurement {
        List<Result> run(String chrootedConnectString) throws Exception;
    }

    /**
     * Runs {@code measurement} in a new scratch tree used as the ZooKeeper chroot of every ZKMQ
     * client, the jobs' included, and deletes the tree afterwards, also when it fails.
     */
    static List<Result> inScratchChroot(
            ScenarioContext context, String scenario, Measurement measurement) throws Exception {
        String scratch = context.newScratchPath(scenario);
        try (CuratorFramework client = context.connect()) {
            client.create().creatingParentsIfNeeded().forPath(scratch);
            // ZooKeeper takes a chroot appended after the last server of the connect string.
            return ZnodeCleaner.runThenDelete(
                    client, scratch, () -> measurement.run(context.connectString() + scratch));
        }
    }

    /**
     * Runs the job and waits for it, at most as long as {@code records} at the slowest sane rate (2
     * min at least).
     */
    static JobExecutionResult run(StreamExecutionEnvironment env, String name, long records)
            throws Exception {
        Duration timeout =
                Duration.ofSeconds(
                        Math.max(MIN_JOB_TIMEOUT.toSeconds(), records / SLOWEST_RECORDS_PER_S));
        JobClient job = env.executeAsync(name);
        try {
            return job.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            job.cancel().get(30, TimeUnit.SECONDS);
            throw new IllegalStateException(
                    "The Flink job '"
                            + name
                            + "' did not finish its "
                            + records
                            + " records within "
                            + timeout.toSeconds()
                            + " s",
                    e);
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
