package io.zkmq.cli;

import io.zkmq.queue.QueueConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The tiered-storage options that {@code queue create} and {@code queue alter} share. */
final class TierOptions {
    @Option(
            names = "--tier-uri",
            paramLabel = "URI",
            description =
                    "Tiered storage: a Flink file system URI (file://, s3://, hdfs://, ...) that complete segments are"
                            + " offloaded to, e.g. file:///data/zkmq-tier. Needs --hot-retention-bytes.")
    String tierUri;

    @Option(
            names = "--hot-retention-bytes",
            paramLabel = "BYTES",
            converter = ByteSizeConverter.class,
            description =
                    "With a tier: bytes per partition kept hot (not yet offloaded), e.g. 16MiB; ZooKeeper"
                            + " keeps up to this plus one segment.")
    Long hotRetentionBytes;

    @Option(
            names = "--hot-retention-time",
            paramLabel = "DURATION",
            description =
                    "With a tier: complete segments older than this are offloaded too, e.g. 1h.")
    Duration hotRetentionTime;

    boolean anySet() {
        return tierUri != null || hotRetentionBytes != null || hotRetentionTime != null;
    }

    /** Sets on {@code config} what was given on the command line. */
    void applyTo(QueueConfig.Builder config) {
        if (tierUri != null) {
            config.tierUri(tierUri);
        }
        if (hotRetentionBytes != null) {
            config.hotRetentionBytes(hotRetentionBytes);
        }
        if (hotRetentionTime != null) {
            config.hotRetentionTime(hotRetentionTime);
        }
    }
}
