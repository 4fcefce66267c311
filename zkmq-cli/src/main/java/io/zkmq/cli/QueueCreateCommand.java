package io.zkmq.cli;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueMetadata;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zkmq queue create NAME --partitions N [...]}. */
@Command(name = "create", description = "Create a queue.")
final class QueueCreateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "Name of the new queue.")
    String queue;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            required = true,
            description = "Number of partitions (can grow later).")
    int partitions;

    @Option(
            names = "--max-batch-bytes",
            paramLabel = "BYTES",
            converter = ByteSizeConverter.class,
            description =
                    "Largest stored batch, and so the largest record (default "
                            + QueueConfig.DEFAULT_MAX_BATCH_BYTES / 1024
                            + "KiB, at most "
                            + QueueConfig.MAX_BATCH_BYTES_LIMIT / 1024
                            + "KiB).")
    Long maxBatchBytes;

    @Option(
            names = "--segment-batches",
            paramLabel = "N",
            description =
                    "Batches per segment znode, fixed at creation (default "
                            + QueueConfig.DEFAULT_SEGMENT_BATCHES
                            + ").")
    Integer segmentBatches;

    @Option(
            names = "--retention-bytes",
            paramLabel = "BYTES",
            converter = ByteSizeConverter.class,
            description =
                    "Bytes kept per partition before old segments are trimmed (default "
                            + (QueueConfig.DEFAULT_RETENTION_BYTES >> 20)
                            + "MiB).")
    Long retentionBytes;

    @Option(
            names = "--retention-time",
            paramLabel = "DURATION",
            description = "Age after which whole segments are trimmed (default 7d).")
    Duration retentionTime;

    @Option(
            names = "--quota-bytes",
            paramLabel = "BYTES",
            converter = ByteSizeConverter.class,
            description =
                    "Byte budget of all partitions together, enforced by ZooKeeper as a hard quota (servers need"
                            + " zookeeper.enforceQuota=true); retention keeps the queue under 80%% of it. Default: none.")
    Long quotaBytes;

    @Mixin TierOptions tier = new TierOptions();

    @Override
    public Integer call() {
        QueueConfig.Builder config = QueueConfig.builder().partitions(partitions);
        if (maxBatchBytes != null) {
            config.maxBatchBytes(ByteSizeConverter.toInt("--max-batch-bytes", maxBatchBytes));
        }
        if (segmentBatches != null) {
            config.segmentBatches(segmentBatches);
        }
        if (retentionBytes != null) {
            config.retentionBytes(retentionBytes);
        }
        if (retentionTime != null) {
            config.retentionTime(retentionTime);
        }
        if (quotaBytes != null) {
            config.quotaBytes(quotaBytes);
        }
        tier.applyTo(config);
        QueueConfig built = config.build();
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            QueueMetadata created = client.admin().createQueue(queue, built);
            spec.commandLine()
                    .getOut()
                    .printf(
                            "Created queue %s with %s%n",
                            created.name(), Plural.of(created.config().partitions(), "partition"));
        }
        return 0;
    }
}
