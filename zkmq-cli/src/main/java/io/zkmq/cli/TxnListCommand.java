package io.zkmq.cli;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.TransactionMarker;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code zkmq txn list [--queue Q] [--prefix P] [--state S]}: one row per transaction marker and
 * partition.
 */
@Command(
        name = "list",
        description = {
            "List the transactions that exactly-once sinks staged: per queue and partition, their state, records, bytes, age and staged batches.",
            "Shows pending (open or aborting) transactions unless --state says otherwise. Give --queue, --prefix or both."
        })
final class TxnListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--queue",
            paramLabel = "QUEUE",
            description = "Transactions in this queue (of every prefix unless --prefix is given).")
    String queue;

    @Option(
            names = "--prefix",
            paramLabel = "PREFIX",
            description =
                    "Transactions of sinks with this transactional id prefix, in every queue they staged in.")
    String prefix;

    @Option(
            names = "--state",
            paramLabel = "STATE",
            defaultValue = "pending",
            converter = StateFilterConverter.class,
            description =
                    "open, committed, aborting, pending (open and aborting) or all (default: ${DEFAULT-VALUE}).")
    StateFilter state;

    /** Which markers {@code --state} selects. */
    enum StateFilter {
        PENDING,
        OPEN,
        COMMITTED,
        ABORTING,
        ALL;

        boolean matches(TransactionMarker.State s) {
            return switch (this) {
                case PENDING -> s != TransactionMarker.State.COMMITTED;
                case ALL -> true;
                default -> s.name().equals(name());
            };
        }
    }

    static final class StateFilterConverter implements ITypeConverter<StateFilter> {
        @Override
        public StateFilter convert(String text) {
            try {
                return StateFilter.valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(
                        "'"
                                + text
                                + "' is not a state; use open, committed, aborting, pending or all");
            }
        }
    }

    @Override
    public Integer call() {
        if (queue == null && prefix == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Which transactions? Give --queue QUEUE, --prefix PREFIX (a sink's transactional id prefix) or both");
        }
        TxnCommand.validatePrefix(spec, prefix);
        List<TransactionStore.Listed> listed;
        boolean prefixUnknown;
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            listed =
                    TxnCommand.find(client, queue, prefix).stream()
                            .filter(l -> state.matches(l.marker().state()))
                            .toList();
            prefixUnknown =
                    listed.isEmpty()
                            && queue == null
                            && client.transactions().sinkQueues(prefix).isEmpty();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (listed.isEmpty()) {
            String which =
                    state == StateFilter.ALL ? "" : " " + state.name().toLowerCase(Locale.ROOT);
            out.println(
                    "No"
                            + which
                            + " transactions"
                            + TxnCommand.scope(queue, prefix)
                            + (prefixUnknown
                                    ? " (no sink with this prefix has staged a transaction in any queue)"
                                    : ""));
            return 0;
        }
        long now = System.currentTimeMillis();
        Table table =
                new Table(
                        "QUEUE",
                        "PARTITION",
                        "TRANSACTION",
                        "STATE",
                        "RECORDS",
                        "BYTES",
                        "AGE",
                        "BATCHES");
        for (TransactionStore.Listed l : listed) {
            TransactionMarker m = l.marker();
            table.row(
                    l.queue(),
                    l.partition(),
                    m.id().name(),
                    TxnCommand.state(m),
                    m.records(),
                    m.bytes(),
                    DurationConverter.formatAge(TxnCommand.age(m, now)),
                    m.staged().size());
        }
        table.print(out);
        return 0;
    }
}
