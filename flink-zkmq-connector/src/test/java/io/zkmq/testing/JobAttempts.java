package io.zkmq.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.scheduler.ExecutionGraphInfo;

/**
 * How often a job on the MiniCluster failed and restarted, from its execution graph and exception
 * history.
 */
public final class JobAttempts {
    private JobAttempts() {}

    /** A job's state as the JobMaster has it. */
    public record State(JobStatus status, int failures, int highestAttempt) {
        /** Terminal, or restarted at least once: either way there is nothing more to wait for. */
        boolean settled() {
            return status.isGloballyTerminalState() || failures > 1 || highestAttempt > 0;
        }
    }

    public static State of(MiniCluster cluster, JobID job) {
        try {
            ExecutionGraphInfo info = cluster.getExecutionGraphInfo(job).get(30, TimeUnit.SECONDS);
            int failures = 0;
            for (Object ignored : info.getExceptionHistory()) {
                failures++;
            }
            int highest = 0;
            for (AccessExecutionVertex v :
                    info.getArchivedExecutionGraph().getAllExecutionVertices()) {
                highest = Math.max(highest, v.getCurrentExecutionAttempt().getAttemptNumber());
            }
            return new State(info.getArchivedExecutionGraph().getState(), failures, highest);
        } catch (Exception e) {
            throw new AssertionError("Cannot read the execution graph of job " + job, e);
        }
    }

    /**
     * Waits until the job ended or restarted (whichever comes first) and returns its state then.
     */
    public static State whenSettled(MiniCluster cluster, JobID job, Duration timeout) {
        State[] last = new State[1];
        Deadline.await(
                "job " + job + " to end or restart",
                timeout,
                () -> (last[0] = of(cluster, job)).settled());
        return last[0];
    }
}
