package io.zkmq.cli;

import io.zkmq.client.PartitionInfo;
import io.zkmq.client.QueueDescription;
import io.zkmq.client.QuotaUsage;
import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.QueueConfig;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zkmq queue describe NAME}: the config, then one row per partition. */
@Command(
        name = "describe",
        description = "Show a queue's config and, per partition, its offsets, records and bytes.")
final class QueueDescribeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "The queue.")
    String queue;

    @Override
    public Integer call() {
        QueueDescription d;
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            d = client.admin().describeQueue(queue);
        }
        PrintWriter out = spec.commandLine().getOut();
        printConfig(
                out, d.metadata().name(), d.metadata().config(), d.metadata().version(), d.quota());
        out.println();
        // Tiered columns only for queues with a tier, so the output of other queues stays as it
        // was. BYTES are retained (tier included); HOT BYTES are what ZooKeeper holds.
        boolean tiered =
                d.metadata().config().tierUri().isPresent()
                        || d.partitions().stream().anyMatch(p -> p.tieredObjects() > 0);
        Table table =
                tiered
                        ? new Table(
                                "PARTITION",
                                "LOW",
                                "HEAD",
                                "RECORDS",
                                "BYTES",
                                "HOT BYTES",
                                "TIERED BYTES",
                                "TIERED SEGMENTS",
                                "TIERED OBJECTS")
                        : new Table("PARTITION", "LOW", "HEAD", "RECORDS", "BYTES");
        for (PartitionInfo p : d.partitions()) {
            if (tiered) {
                table.row(
                        p.partition(),
                        p.lowOffset(),
                        p.headOffset(),
                        p.records(),
                        p.bytes(),
                        p.hotBytes(),
                        p.tieredBytes(),
                        p.tieredSegments(),
                        p.tieredObjects());
            } else {
                table.row(p.partition(), p.lowOffset(), p.headOffset(), p.records(), p.bytes());
            }
        }
        if (tiered) {
            table.row(
                    "total",
                    null,
                    null,
                    d.totalRecords(),
                    d.totalBytes(),
                    d.totalHotBytes(),
                    d.totalTieredBytes(),
                    d.totalTieredSegments(),
                    d.totalTieredObjects());
        } else {
            table.row("total", null, null, d.totalRecords(), d.totalBytes());
        }
        table.print(out);
        return 0;
    }

    static void printConfig(PrintWriter out, String name, QueueConfig c, int version) {
        printConfig(out, name, c, version, Optional.empty());
    }

    private static void printConfig(
            PrintWriter out, String name, QueueConfig c, int version, Optional<QuotaUsage> usage) {
        Table table = new Table("Queue:", name);
        table.row("Partitions:", Integer.toString(c.partitions()));
        table.row("Max batch bytes:", ByteSizeConverter.format(c.maxBatchBytes()));
        table.row("Segment batches:", Integer.toString(c.segmentBatches()));
        table.row(
                "Retention bytes:",
                ByteSizeConverter.format(c.retentionBytes())
                        + " per partition"
                        + (c.effectiveRetentionBytes() < c.retentionBytes()
                                ? ", " + c.effectiveRetentionBytes() + " under the quota"
                                : ""));
        table.row("Retention time:", DurationConverter.format(c.retentionTime()));
        table.row(
                "Quota bytes:",
                c.quotaBytes().isPresent()
                        ? ByteSizeConverter.format(c.quotaBytes().getAsLong())
                                + " for all partitions"
                        : c.effectiveQuotaBytes().isPresent()
                                ? ByteSizeConverter.format(c.effectiveQuotaBytes().getAsLong())
                                        + " for all partitions (the default of a tiered queue:"
                                        + " the hard bound of its hot tail)"
                                : "none");
        usage.ifPresent(
                u ->
                        table.row(
                                "Quota usage:",
                                u.usedBytes()
                                        + " of "
                                        + u.limitBytes()
                                        + " bytes ("
                                        + (u.limitBytes() > 0
                                                ? 100 * u.usedBytes() / u.limitBytes()
                                                : 0)
                                        + "%)"
                                        + (u.overLimit()
                                                ? ", OVER the limit: do the servers run with zookeeper.enforceQuota=true?"
                                                : "")));
        table.row("Tier URI:", c.tierUri().orElse("none"));
        if (c.tierUri().isPresent()) {
            table.row(
                    "Hot retention:",
                    ByteSizeConverter.format(c.hotRetentionBytes())
                            + " per partition"
                            + c.hotRetentionTime()
                                    .map(t -> ", " + DurationConverter.format(t))
                                    .orElse(""));
        }
        table.row("Config version:", Integer.toString(version));
        table.print(out);
    }
}
