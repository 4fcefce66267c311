package io.zkmq.cli;

import io.zkmq.client.ProducerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.error.RecordTooLargeException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Record;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zkmq produce QUEUE}: sends one record per line of standard input, asynchronously, and
 * flushes at the end. A record that fails (too large, not acknowledged within the delivery timeout)
 * does not stop the others, but makes the exit code non-zero, and the report names the lines
 * acknowledged in order, the lines not written and the lines whose outcome is unknown.
 */
@Command(
        name = "produce",
        description = {
            "Send one record per line of standard input (UTF-8); end the input with Ctrl-D.",
            "With --key-separator, the text before the first separator is the key and the rest the value;"
                    + " lines without the separator have no key (spread round-robin)."
        })
final class ProduceCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "The queue.")
    String queue;

    @Option(
            names = "--key-separator",
            paramLabel = "SEP",
            description = "Splits each line into key and value at the first SEP.")
    String keySeparator;

    @Option(
            names = "--partition",
            paramLabel = "P",
            description = "Send every record to this partition instead of routing by key.")
    Integer partition;

    @Option(
            names = "--delivery-timeout",
            paramLabel = "DURATION",
            defaultValue = "2m",
            description =
                    "Fail a record not acknowledged within this long (default: ${DEFAULT-VALUE}); one whose"
                            + " outcome is unknown then gets up to --connect-timeout more to be read back.")
    Duration deliveryTimeout;

    @Override
    public Integer call() {
        if (keySeparator != null && keySeparator.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--key-separator must not be empty");
        }
        PrintWriter err = spec.commandLine().getErr();
        ProduceOutcome outcome = new ProduceOutcome();
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            checkPartition(client);
            // A short-lived CLI process should not win the queue's retention leadership (and
            // closing right
            // after joining the election makes Curator log a failed background create).
            ProducerOptions options =
                    ProducerOptions.builder()
                            .joinMaintenance(false)
                            .deliveryTimeout(deliveryTimeout)
                            .build();
            try (ZkmqProducer producer = client.producer(queue, options);
                    OnShutdown flushOnCtrlC =
                            OnShutdown.run(
                                    "produce", () -> flushOnShutdown(producer, outcome, err))) {
                sendLines(producer, outcome, Progress.onStderr(err, false));
                try {
                    producer.flush();
                } catch (ZkmqException e) {
                    if (outcome.failed() == 0) {
                        throw e;
                    }
                    // Already counted through the records' futures; reported below.
                }
                outcome.awaitAcknowledgements();
            }
        }
        err.printf("Produced %s to %s%n", Plural.of(outcome.succeeded(), "record"), queue);
        if (outcome.failed() > 0) {
            outcome.report(err);
        }
        err.flush();
        if (outcome.failed() > 0) {
            long unknown = outcome.unknown();
            throw new ZkmqException(
                    outcome.failed()
                            + " of "
                            + outcome.sent()
                            + " records were not acknowledged by queue '"
                            + queue
                            + "' ("
                            + (outcome.failed() - unknown)
                            + " not written, "
                            + unknown
                            + " with unknown outcome);"
                            + " the first, from line "
                            + outcome.firstFailedLine()
                            + ": "
                            + ErrorReporter.describe(outcome.firstError()));
        }
        return 0;
    }

    private void checkPartition(ZkmqClient client) {
        if (partition == null) {
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
    }

    private void sendLines(ZkmqProducer producer, ProduceOutcome outcome, Progress progress) {
        BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
        long lineNumber = 0;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                long number = ++lineNumber;
                if (number == Integer.MAX_VALUE) {
                    throw new ZkmqException(
                            "Standard input has more than "
                                    + (Integer.MAX_VALUE - 1)
                                    + " lines, more than"
                                    + " produce tracks per line; split it and run produce once per part");
                }
                Record record = toRecord(line);
                outcome.sending();
                try {
                    (partition == null ? producer.send(record) : producer.send(partition, record))
                            .whenComplete((metadata, error) -> outcome.completed(number, error));
                } catch (RecordTooLargeException e) {
                    outcome.completed(number, e);
                }
                progress.update(outcome.sent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Reading standard input failed after line " + lineNumber, e);
        } finally {
            progress.finish();
        }
    }

    private Record toRecord(String line) {
        int at = keySeparator == null ? -1 : line.indexOf(keySeparator);
        if (at < 0) {
            return Record.of(null, line);
        }
        return Record.of(line.substring(0, at), line.substring(at + keySeparator.length()));
    }

    /** On Ctrl-C, stores what was already read before the JVM goes away. */
    private void flushOnShutdown(ZkmqProducer producer, ProduceOutcome outcome, PrintWriter err) {
        try {
            producer.flush();
        } catch (RuntimeException e) {
            // Counted through the records' futures.
        }
        err.printf(
                "%nInterrupted: produced %s to %s%n",
                Plural.of(outcome.succeeded(), "record"), queue);
        if (outcome.failed() > 0) {
            outcome.report(err);
        }
        err.flush();
    }
}
