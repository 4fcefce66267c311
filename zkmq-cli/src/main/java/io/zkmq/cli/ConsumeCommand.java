package io.zkmq.cli;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.StartingPosition;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zkmq consume QUEUE}: prints one value per line until {@code --max} records were printed or
 * nothing arrived for {@code --timeout}. Without {@code --group} it reads the partitions directly
 * from {@code --from}; with a group it joins the group, resumes from the committed offsets, and
 * commits what it printed (after flushing stdout) every few seconds and at the end.
 */
@Command(
        name = "consume",
        description = {
            "Print the records of a queue to standard output, one value per line (\"key<TAB>value\" with --print-key).",
            "Stops after --max records, when nothing arrives for --timeout, or on Ctrl-C."
        })
final class ConsumeCommand implements Callable<Integer> {
    private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(5);
    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "The queue.")
    String queue;

    @Option(
            names = "--from",
            paramLabel = "earliest|latest|OFFSET",
            defaultValue = "earliest",
            converter = StartPositionConverter.class,
            description =
                    "Where to start; with --group only where nothing is committed yet (default: ${DEFAULT-VALUE}).")
    StartingPosition from;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Long max;

    @Option(
            names = "--group",
            paramLabel = "GROUP",
            description = "Consume as a member of this group and commit the offsets.")
    String group;

    @Option(names = "--print-key", description = "Print \"key<TAB>value\".")
    boolean printKey;

    @Option(
            names = "--partition",
            paramLabel = "P",
            description = "Read only this partition (not with --group).")
    Integer partition;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            description = "Stop when no record arrives for this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--follow",
            description = "Keep waiting for records until Ctrl-C (ignores --timeout).")
    boolean follow;

    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile ZkmqConsumer consumer;

    @Override
    public Integer call() {
        validate();
        PrintWriter err = spec.commandLine().getErr();
        try (OnShutdown stopOnCtrlC = OnShutdown.run("consume", this::stopAndWait)) {
            long printed = consume(spec.commandLine().getOut(), Progress.onConsole(err));
            err.printf("Consumed %d records from %s%n", printed, queue);
            err.flush();
        } finally {
            finished.countDown();
        }
        return 0;
    }

    private void validate() {
        if (max != null && max < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--max must be at least 1, got " + max);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new ParameterException(
                    spec.commandLine(), "--timeout must be positive; use --follow to wait forever");
        }
        if (group != null && partition != null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--partition cannot be combined with --group: the group assigns partitions to its members");
        }
        if (group != null && !(from.isEarliest() || from.isLatest())) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--from "
                            + from.offset()
                            + " cannot be combined with --group:"
                            + " a group resumes from its committed offsets; use --from earliest or latest for partitions without one");
        }
    }

    private long consume(PrintWriter out, Progress progress) {
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec);
                ZkmqConsumer c = client.consumer(queue, options())) {
            consumer = c;
            if (group == null) {
                assign(client, c);
            }
            long printed = 0;
            long lastRecord = System.nanoTime();
            long lastCommit = lastRecord;
            long lastFlush = lastRecord;
            boolean outputBroken = false;
            try {
                while (!stopRequested.get() && (max == null || printed < max)) {
                    List<QueueRecord> records = c.poll(MAX_POLL_WAIT);
                    for (int i = 0; i < records.size(); i++) {
                        if (max != null && printed >= max) {
                            if (group != null) {
                                rewind(c, records.subList(i, records.size()));
                            }
                            break;
                        }
                        QueueRecord r = records.get(i);
                        out.println(
                                printKey
                                        ? r.keyAsString() + "\t" + r.valueAsString()
                                        : r.valueAsString());
                        printed++;
                    }
                    progress.update(printed);
                    long now = System.nanoTime();
                    if (!records.isEmpty()) {
                        lastRecord = now;
                    } else if (!follow && now - lastRecord >= timeout.toNanos()) {
                        break;
                    }
                    if (group != null && now - lastCommit >= COMMIT_INTERVAL.toNanos()) {
                        outputBroken = !flushAndCommit(out, c);
                        lastCommit = now;
                        lastFlush = now;
                    } else if (records.isEmpty() || now - lastFlush >= FLUSH_INTERVAL.toNanos()) {
                        outputBroken = out.checkError(); // Flushes: output shows up while idle.
                        lastFlush = now;
                    }
                    if (outputBroken) {
                        break; // Standard output was closed, e.g. by '| head'.
                    }
                }
            } finally {
                progress.finish();
            }
            if (!outputBroken && group != null) {
                flushAndCommit(out, c);
            }
            out.flush();
            return printed;
        } finally {
            consumer = null;
        }
    }

    private ConsumerOptions options() {
        // Like produce: a short-lived CLI process stays out of the retention leader election.
        ConsumerOptions.Builder options = ConsumerOptions.builder().joinMaintenance(false);
        if (group != null) {
            options.group(group).startWithoutCommit(from);
        }
        return options.build();
    }

    /**
     * Moves each partition back to its first record that --max kept from being printed, so the
     * group's commit covers exactly what reached stdout. Records of a partition come in order.
     */
    private static void rewind(ZkmqConsumer c, List<QueueRecord> unprinted) {
        Map<Integer, Long> firstUnprinted = new TreeMap<>();
        for (QueueRecord r : unprinted) {
            firstUnprinted.putIfAbsent(r.partition(), r.offset());
        }
        firstUnprinted.forEach(
                (partition, offset) -> c.seek(partition, StartingPosition.offset(offset)));
    }

    private void assign(ZkmqClient client, ZkmqConsumer c) {
        if (partition == null) {
            c.assignAll(from);
            return;
        }
        int partitions = client.admin().readConfig(queue).config().partitions();
        if (partition < 0 || partition >= partitions) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--partition "
                            + partition
                            + " is out of range: queue '"
                            + queue
                            + "' has partitions 0.."
                            + (partitions - 1));
        }
        c.assign(Map.of(partition, from));
    }

    /** Commits only what reached stdout: false (and no commit) if stdout is broken. */
    private static boolean flushAndCommit(PrintWriter out, ZkmqConsumer c) {
        out.flush();
        if (out.checkError()) {
            return false;
        }
        c.commit();
        return true;
    }

    /** Ctrl-C: ends the poll loop and waits (bounded) until the final commit and close are done. */
    private void stopAndWait() {
        stopRequested.set(true);
        ZkmqConsumer c = consumer;
        if (c != null) {
            c.wakeUp();
        }
        try {
            finished.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
