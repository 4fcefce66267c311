package io.zkmq.error;

import java.util.Optional;
import java.util.OptionalLong;
import org.apache.flink.annotation.PublicEvolving;

/**
 * ZooKeeper refused a write because the queue's byte quota is used up ({@code QUOTAEXCEEDED}). A
 * definite failure: nothing of the refused write was stored, and retrying it cannot succeed until
 * retention frees bytes or the quota is raised ({@code zkmq queue alter QUEUE --quota-bytes ...}).
 */
@PublicEvolving
public class QuotaExceededException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    private final String queue;
    private final long quotaBytes;
    private final String detail;

    /**
     * @param queue the queue, or null if the refused znode is not a queue's
     * @param quotaBytes the queue's budget as last known, or empty if not known here
     * @param detail what was refused, naming the znode
     */
    public QuotaExceededException(
            String queue, OptionalLong quotaBytes, String detail, Throwable cause) {
        this(queue, quotaBytes, detail, message(queue, quotaBytes, detail), cause);
    }

    private QuotaExceededException(
            String queue, OptionalLong quotaBytes, String detail, String message, Throwable cause) {
        super(message, cause);
        this.queue = queue;
        this.quotaBytes = quotaBytes.orElse(-1);
        this.detail = detail;
    }

    /**
     * The same failure of a tiered queue, whose quota bounds the hot tail in ZooKeeper: it is full
     * because offload to {@code tierUri} is behind (typically the tier is unreachable).
     */
    public QuotaExceededException inHotTail(long budget, String tierUri) {
        String name = queue == null ? "QUEUE" : queue;
        QuotaExceededException e =
                new QuotaExceededException(
                        queue,
                        OptionalLong.of(budget),
                        detail,
                        "The hot tail of tiered queue '"
                                + name
                                + "' in ZooKeeper is full (its byte quota of "
                                + budget
                                + " bytes) because offload to tier "
                                + tierUri
                                + " is behind: is the tier reachable? The maintenance leader logs why"
                                + " (not written: "
                                + detail
                                + "). Nothing acknowledged is lost; sends succeed again once offload"
                                + " caught up and hot trim freed ZooKeeper, or raise the quota, e.g. 'zkmq"
                                + " queue alter "
                                + name
                                + " --quota-bytes SIZE'",
                        getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    /**
     * The same failure, with the queue's budget named (as the producer knows it from the queue's
     * config).
     */
    public QuotaExceededException withQuota(long budget) {
        QuotaExceededException e =
                new QuotaExceededException(queue, OptionalLong.of(budget), detail, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    public Optional<String> queue() {
        return Optional.ofNullable(queue);
    }

    public OptionalLong quotaBytes() {
        return quotaBytes < 0 ? OptionalLong.empty() : OptionalLong.of(quotaBytes);
    }

    private static String message(String queue, OptionalLong quotaBytes, String detail) {
        String budget =
                quotaBytes.isPresent()
                        ? "byte quota of " + quotaBytes.getAsLong() + " bytes"
                        : "byte quota";
        String who =
                queue == null
                        ? "A byte quota in ZooKeeper is used up"
                        : "Queue '" + queue + "' reached its " + budget;
        return who
                + " (not written: "
                + detail
                + "); wait for retention to trim, or raise the quota, e.g. 'zkmq queue alter "
                + (queue == null ? "QUEUE" : queue)
                + " --quota-bytes SIZE'";
    }
}
