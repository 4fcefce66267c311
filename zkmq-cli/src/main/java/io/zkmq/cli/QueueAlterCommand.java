package io.zkmq.cli;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueMetadata;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zkmq queue alter NAME [--partitions N] [--retention-bytes N] [--retention-time D]
 * [--quota-bytes N]}.
 */
@Command(
        name = "alter",
        description = "Add partitions or change retention or the byte quota of a queue.")
final class QueueAlterCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "The queue.")
    String queue;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            description = "New partition count; partitions can be added, never removed.")
    Integer partitions;

    @Option(
            names = "--retention-bytes",
            paramLabel = "BYTES",
            converter = ByteSizeConverter.class,
            description = "Bytes kept per partition, e.g. 128MiB.")
    Long retentionBytes;

    @Option(
            names = "--retention-time",
            paramLabel = "DURATION",
            description = "Age after which segments are trimmed, e.g. 7d.")
    Duration retentionTime;

    @Option(
            names = "--quota-bytes",
            paramLabel = "BYTES",
            converter = ByteSizeConverter.class,
            description =
                    "New byte budget of all partitions together, e.g. 4GiB; 0 removes the quota.")
    Long quotaBytes;

    @Mixin TierOptions tier = new TierOptions();

    @Override
    public Integer call() {
        if (partitions == null
                && retentionBytes == null
                && retentionTime == null
                && quotaBytes == null
                && !tier.anySet()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Nothing to change: give at least one of --partitions,"
                            + " --retention-bytes, --retention-time, --quota-bytes, --tier-uri, --hot-retention-bytes,"
                            + " --hot-retention-time");
        }
        QueueMetadata altered;
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            altered = client.admin().alterQueue(queue, this::apply);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Altered queue %s%n", queue);
        QueueDescribeCommand.printConfig(out, altered.name(), altered.config(), altered.version());
        return 0;
    }

    private QueueConfig.Builder apply(QueueConfig.Builder b) {
        if (partitions != null) {
            b.partitions(partitions);
        }
        if (retentionBytes != null) {
            b.retentionBytes(retentionBytes);
        }
        if (retentionTime != null) {
            b.retentionTime(retentionTime);
        }
        if (quotaBytes != null) {
            b.quotaBytes(quotaBytes);
        }
        tier.applyTo(b);
        return b;
    }
}
