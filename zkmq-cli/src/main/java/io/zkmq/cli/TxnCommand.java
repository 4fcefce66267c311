package io.zkmq.cli;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.Names;
import io.zkmq.queue.TransactionMarker;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code zkmq txn ...}: inspect and clean up the transactions that exactly-once sinks stage in
 * queues. Also holds what {@code txn list} and {@code txn abort} share: finding markers, naming
 * what was searched, describing a transaction.
 */
@Command(
        name = "txn",
        description = "List and abort the pending transactions of exactly-once sinks.",
        subcommands = {TxnListCommand.class, TxnAbortCommand.class})
final class TxnCommand {

    /**
     * The markers of sink prefix {@code prefix} in {@code queue}: with a queue, every marker of
     * that queue (a missing queue fails by name), of the prefix if one is given; without, every
     * marker of the prefix in the queues its sinks registered.
     */
    static List<TransactionStore.Listed> find(ZkmqClient client, String queue, String prefix) {
        TransactionStore store = client.transactions();
        if (queue == null) {
            return store.listByPrefix(prefix);
        }
        return store.list(queue).stream()
                .filter(l -> prefix == null || l.marker().id().prefix().equals(prefix))
                .toList();
    }

    /** A malformed prefix is a usage error (it becomes a znode name). */
    static void validatePrefix(CommandSpec spec, String prefix) {
        if (prefix == null) {
            return;
        }
        try {
            Names.member(prefix);
        } catch (InvalidConfigException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid --prefix '"
                            + prefix
                            + "': a transactional id prefix uses 1-200 characters of A-Z, a-z, 0-9, '.', '_' or '-'");
        }
    }

    /** {@code " of prefix 'p' in queue 'q'"}, naming what was searched. */
    static String scope(String queue, String prefix) {
        return (prefix == null ? "" : " of prefix '" + prefix + "'")
                + (queue == null ? "" : " in queue '" + queue + "'");
    }

    static String state(TransactionMarker marker) {
        return marker.state().name().toLowerCase(Locale.ROOT);
    }

    static Duration age(TransactionMarker marker, long nowMillis) {
        return Duration.ofMillis(Math.max(0, nowMillis - marker.createdAtMillis()));
    }

    /**
     * {@code etl-0-42 in queue orders partition 1 (open, 3 records, 150 bytes, created 5m12s ago)}.
     */
    static String describe(TransactionStore.Listed l, long nowMillis) {
        TransactionMarker m = l.marker();
        return m.id().name()
                + " in queue "
                + l.queue()
                + " partition "
                + l.partition()
                + " ("
                + state(m)
                + ", "
                + m.records()
                + " records, "
                + m.bytes()
                + " bytes, created "
                + DurationConverter.formatAge(age(m, nowMillis))
                + " ago)";
    }
}
