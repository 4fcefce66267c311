package io.zkmq.cli;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.error.ZkmqException;
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
    private static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(60);
    private static final Duration MAX_LOCK_WAIT = Duration.ofDays(24);

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

    /** Set when --timeout ended the run while partitions stayed locked by another owner. */
    private String neverAcquired;

    @Override
    public Integer call() {
        validate();
        PrintWriter err = spec.commandLine().getErr();
        try (OnShutdown stopOnCtrlC = OnShutdown.run("consume", this::stopAndWait)) {
            long printed = consume(spec.commandLine().getOut(), Progress.onStderr(err, true));
            err.printf("Consumed %s from %s%n", Plural.of(printed, "record"), queue);
            if (neverAcquired != null) {
                err.println(ErrorReporter.PREFIX + neverAcquired);
            }
            err.flush();
        } finally {
            finished.countDown();
        }
        return neverAcquired == null ? 0 : 1;
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
            LockWaitReport waits =
                    group == null
                            ? null
                            : new LockWaitReport(
                                    client.admin().groups(), queue, group, c.memberId(), progress);
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
                    String waitingFor = waits == null ? null : waits.check(c.assignment());
                    if (waitingFor == null
                            && !client.curator().getZookeeperClient().isConnected()) {
                        waitingFor = "reconnecting to ZooKeeper";
                    }
                    progress.update(printed, waitingFor);
                    long now = System.nanoTime();
                    if (!records.isEmpty()) {
                        lastRecord = now;
                    } else if (!follow && now - lastRecord >= timeout.toNanos()) {
                        if (waits != null) {
                            neverAcquired = waits.neverAcquired(DurationConverter.format(timeout));
                        }
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
            } catch (ZkmqException e) {
                if (!outputBroken && group != null) {
                    commitBeforeFailing(out, c, e);
                }
                throw e;
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
            // Wait for a locked partition as long as the run may last: --timeout ends it anyway,
            // and says which partitions stayed locked (LockWaitReport).
            options.group(group)
                    .startWithoutCommit(from)
                    .lockTimeout(follow ? MAX_LOCK_WAIT : max(DEFAULT_LOCK_WAIT, timeout));
        }
        return options.build();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
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

    /**
     * A failing poll (e.g. a corrupt batch) ends the run: what was printed before it is committed
     * still, so the next run starts at the failing record; a failing commit is added to the error.
     */
    private static void commitBeforeFailing(PrintWriter out, ZkmqConsumer c, ZkmqException e) {
        try {
            flushAndCommit(out, c);
        } catch (ZkmqException commitFailure) {
            e.addSuppressed(commitFailure);
        }
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
