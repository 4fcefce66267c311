package io.zkmq.queue;

import io.zkmq.error.InvalidConfigException;
import org.apache.flink.annotation.Internal;

/**
 * Names an exactly-once sink transaction: {@code <prefix>-<subtask>-<checkpointId>}. The prefix is
 * stable per sink (chosen by the user), so a restarted job finds and aborts its own lingering
 * transactions, including those of subtasks that no longer exist after a scale-down.
 */
@Internal
public record TransactionId(String prefix, int subtask, long checkpointId) {
    public TransactionId {
        Names.member(prefix);
        if (subtask < 0 || checkpointId < 0) {
            throw new IllegalArgumentException(
                    "Transaction "
                            + prefix
                            + ": subtask "
                            + subtask
                            + " and checkpoint "
                            + checkpointId
                            + " must be >= 0");
        }
    }

    public String name() {
        return prefix + "-" + subtask + "-" + checkpointId;
    }

    /** Parses a name; the prefix may itself contain '-'. */
    public static TransactionId parse(String name) {
        int last = name.lastIndexOf('-');
        int middle = last > 0 ? name.lastIndexOf('-', last - 1) : -1;
        if (middle <= 0) {
            throw new InvalidConfigException(
                    "Not a transaction name '"
                            + name
                            + "': expected <prefix>-<subtask>-<checkpoint>");
        }
        try {
            return new TransactionId(
                    name.substring(0, middle),
                    Integer.parseInt(name.substring(middle + 1, last)),
                    Long.parseLong(name.substring(last + 1)));
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(
                    "Not a transaction name '"
                            + name
                            + "': expected <prefix>-<subtask>-<checkpoint>");
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
