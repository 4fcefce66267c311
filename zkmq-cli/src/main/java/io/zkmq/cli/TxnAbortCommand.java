package io.zkmq.cli;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.queue.TransactionId;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zkmq txn abort --prefix P [--queue Q] [--transaction NAME] [--older-than D] [--dry-run]}:
 * aborts the pending transactions of one sink prefix through {@link TransactionStore#abort}, which
 * never aborts a committed transaction (also not one committed between listing and aborting).
 */
@Command(
        name = "abort",
        description = {
            "Abort the pending (open or aborting) transactions of an exactly-once sink: their staged records are deleted and never become visible.",
            "Committed transactions are never touched. Prints one line per transaction, then a count.",
            "WARNING: aborting a transaction whose checkpoint already completed loses its records (its sink would have committed them)."
                    + " Use this only for a sink that is stopped, or that will restart from a checkpoint earlier than the aborted"
                    + " transactions. Check with --dry-run first."
        })
final class TxnAbortCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--prefix",
            paramLabel = "PREFIX",
            required = true,
            description = "The sink's transactional id prefix: only its transactions are aborted.")
    String prefix;

    @Option(
            names = "--queue",
            paramLabel = "QUEUE",
            description = "Only transactions in this queue.")
    String queue;

    @Option(
            names = "--transaction",
            paramLabel = "NAME",
            description =
                    "Only this transaction (PREFIX-SUBTASK-CHECKPOINT, as 'txn list' shows it), in every partition.")
    String transaction;

    @Option(
            names = "--older-than",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Only transactions created at least this long ago, e.g. 30m or 2h.")
    Duration olderThan;

    @Option(names = "--dry-run", description = "Only print what would be aborted; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            long now = System.currentTimeMillis();
            Predicate<TransactionStore.Listed> selected =
                    l ->
                            (transaction == null || l.marker().id().name().equals(transaction))
                                    && (olderThan == null
                                            || TxnCommand.age(l.marker(), now).compareTo(olderThan)
                                                    >= 0);
            List<TransactionStore.Listed> found =
                    TxnCommand.find(client, queue, prefix).stream().filter(selected).toList();
            List<TransactionStore.Listed> pending =
                    found.stream().filter(l -> !l.marker().committed()).toList();
            if (pending.isEmpty()) {
                out.println(
                        "No pending transactions"
                                + TxnCommand.scope(queue, prefix)
                                + (transaction == null ? "" : " named " + transaction)
                                + (olderThan == null
                                        ? ""
                                        : " older than " + DurationConverter.format(olderThan))
                                + " to abort"
                                + (transaction == null || found.isEmpty()
                                        ? ""
                                        : " ("
                                                + transaction
                                                + " is committed in "
                                                + found.size()
                                                + " partition(s); committed transactions are never aborted)"));
                return 0;
            }
            int aborted = 0;
            for (TransactionStore.Listed l : pending) {
                if (dryRun) {
                    out.println("Would abort " + TxnCommand.describe(l, now));
                } else if (client.transactions()
                        .abort(l.queue(), l.partition(), l.marker().id().name())) {
                    out.println("Aborted " + TxnCommand.describe(l, now));
                    aborted++;
                } else {
                    out.println(
                            "Skipped "
                                    + l.marker().id().name()
                                    + " in queue "
                                    + l.queue()
                                    + " partition "
                                    + l.partition()
                                    + ": committed or aborted meanwhile");
                }
            }
            if (dryRun) {
                out.printf(
                        "Would abort %d transaction(s) of prefix %s (dry run: nothing changed)%n",
                        pending.size(), prefix);
            } else {
                out.printf("Aborted %d transaction(s) of prefix %s%n", aborted, prefix);
            }
        }
        return 0;
    }

    private void validate() {
        TxnCommand.validatePrefix(spec, prefix);
        if (transaction != null) {
            TransactionId id;
            try {
                id = TransactionId.parse(transaction);
            } catch (InvalidConfigException e) {
                throw new ParameterException(
                        spec.commandLine(), "Invalid --transaction: " + e.getMessage());
            }
            if (!id.prefix().equals(prefix)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--transaction "
                                + transaction
                                + " does not belong to --prefix "
                                + prefix
                                + " (its prefix is '"
                                + id.prefix()
                                + "')");
            }
        }
        if (olderThan != null && olderThan.isNegative()) {
            throw new ParameterException(
                    spec.commandLine(), "--older-than must not be negative, got " + olderThan);
        }
    }
}
