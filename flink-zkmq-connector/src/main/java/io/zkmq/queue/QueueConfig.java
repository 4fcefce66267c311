package io.zkmq.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zkmq.error.InvalidConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A queue's configuration, stored as JSON in the queue's znode and versioned by that znode's
 * version. Immutable; {@link #toBuilder()} derives changed copies, and the builder validates every
 * field against ZooKeeper's limits.
 */
@PublicEvolving
public final class QueueConfig {
    /** A batch plus its transaction must stay under ZooKeeper's 1 MiB jute.maxbuffer. */
    public static final int MAX_BATCH_BYTES_LIMIT = 900 * 1024;

    public static final int MIN_BATCH_BYTES = 1024;
    public static final int MAX_PARTITIONS = 10_000;

    /** Bounds the children of a segment znode far below getChildren's ~50,000 limit. */
    public static final int MAX_SEGMENT_BATCHES = 10_000;

    public static final int DEFAULT_MAX_BATCH_BYTES = 256 * 1024;
    // 100 x 256 KiB = 25 MiB per segment: retention trims in steps well below the default 128 MiB.
    public static final int DEFAULT_SEGMENT_BATCHES = 100;
    public static final long DEFAULT_RETENTION_BYTES = 128L * 1024 * 1024;
    public static final Duration DEFAULT_RETENTION_TIME = Duration.ofDays(7);

    /**
     * Share of a byte quota that retention aims to stay under: the rest is headroom for what
     * producers append between two retention runs, since ZooKeeper refuses writes past the quota.
     */
    public static final double QUOTA_RETENTION_FRACTION = 0.8;

    /**
     * A tiered queue's default quota: this many times hot bound plus one segment, per partition.
     */
    public static final int TIER_QUOTA_HOT_FACTOR = 4;

    /** The floor of a tiered queue's default quota; a few tens of MiB are cheap for ZooKeeper. */
    public static final long MIN_DEFAULT_TIER_QUOTA_BYTES = 64L * 1024 * 1024;

    static final PayloadFormat FORMAT = new PayloadFormat("queue config", 1, true);

    private final int partitions;
    private final int maxBatchBytes;
    private final int segmentBatches;
    private final long retentionBytes;
    private final Duration retentionTime;

    /** 0: no quota. */
    private final long quotaBytes;

    /** Null: no tiered storage. */
    private final String tierUri;

    /** 0: none (only when there is no tier). */
    private final long hotRetentionBytes;

    /** Null: no time bound on the hot tail. */
    private final Duration hotRetentionTime;

    private QueueConfig(Builder b) {
        this.partitions = b.partitions;
        this.maxBatchBytes = b.maxBatchBytes;
        this.segmentBatches = b.segmentBatches;
        this.retentionBytes = b.retentionBytes;
        this.retentionTime = b.retentionTime;
        this.quotaBytes = b.quotaBytes;
        this.tierUri = b.tierUri;
        this.hotRetentionBytes = b.hotRetentionBytes;
        this.hotRetentionTime = b.hotRetentionTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .partitions(partitions)
                .maxBatchBytes(maxBatchBytes)
                .segmentBatches(segmentBatches)
                .retentionBytes(retentionBytes)
                .retentionTime(retentionTime)
                .quotaBytes(quotaBytes)
                .tierUri(tierUri)
                .hotRetentionBytes(hotRetentionBytes)
                .hotRetentionTime(hotRetentionTime);
    }

    public int partitions() {
        return partitions;
    }

    /** Largest stored batch, header included; also bounds the largest record. */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** Batches per segment znode; fixed when the queue is created. */
    public int segmentBatches() {
        return segmentBatches;
    }

    /** Per partition: whole segments are trimmed while the rest still holds this many bytes. */
    public long retentionBytes() {
        return retentionBytes;
    }

    /** Per partition: segments whose every batch is older than this are trimmed. */
    public Duration retentionTime() {
        return retentionTime;
    }

    /**
     * The queue's byte budget in ZooKeeper, if it has one: a hard quota on its partitions' znodes
     * that the servers enforce (with {@code zookeeper.enforceQuota=true}) for all partitions
     * together.
     */
    public OptionalLong quotaBytes() {
        return quotaBytes > 0 ? OptionalLong.of(quotaBytes) : OptionalLong.empty();
    }

    /**
     * The quota set on the queue's znodes: {@link #quotaBytes()}, or for a tiered queue without one
     * {@link #defaultTierQuotaBytes()}. For a tiered queue it is the hard bound of the hot tail:
     * when offload falls behind (tier unreachable), producers are refused at the quota instead of
     * filling ZooKeeper's heap.
     */
    public OptionalLong effectiveQuotaBytes() {
        if (quotaBytes > 0) {
            return OptionalLong.of(quotaBytes);
        }
        return tierUri != null ? OptionalLong.of(defaultTierQuotaBytes()) : OptionalLong.empty();
    }

    /**
     * The quota of a tiered queue that sets none: room per partition for four times its hot bound
     * and four segments, so the hot tail has slack for runs that fall behind; at least {@link
     * #MIN_DEFAULT_TIER_QUOTA_BYTES}. Derived, not stored, so it follows changes of the hot bound.
     */
    public long defaultTierQuotaBytes() {
        long perPartition = TIER_QUOTA_HOT_FACTOR * (hotRetentionBytes + maxSegmentBytes());
        return Math.max(MIN_DEFAULT_TIER_QUOTA_BYTES, partitions * perPartition);
    }

    /**
     * Where complete segments are offloaded (a Flink FileSystem URI such as {@code
     * s3://bucket/zkmq}), if the queue uses tiered storage.
     */
    public Optional<String> tierUri() {
        return Optional.ofNullable(tierUri);
    }

    /**
     * Per partition: complete segments are offloaded to the tier while the bytes not yet offloaded
     * exceed this; 0 when the queue has no tier.
     */
    public long hotRetentionBytes() {
        return hotRetentionBytes;
    }

    /** Per partition: complete segments older than this are offloaded too, if set. */
    public Optional<Duration> hotRetentionTime() {
        return Optional.ofNullable(hotRetentionTime);
    }

    /**
     * Upper bound of one segment's bytes: retention trims whole segments, so it overshoots by up to
     * this.
     */
    public long maxSegmentBytes() {
        return (long) segmentBatches * maxBatchBytes;
    }

    /**
     * The bytes retention keeps per partition: {@link #retentionBytes()}, lowered under a quota so
     * that every partition together stays below {@link #QUOTA_RETENTION_FRACTION} of it even with
     * the one segment that trimming whole segments leaves beyond the limit. Not for a tiered queue:
     * its quota bounds only the hot tail, and retention must never delete data that did not reach
     * the tier because of it.
     */
    public long effectiveRetentionBytes() {
        if (quotaBytes == 0 || tierUri != null) {
            return retentionBytes;
        }
        return Math.min(retentionBytes, quotaShare(quotaBytes, partitions) - maxSegmentBytes());
    }

    static long quotaShare(long quotaBytes, int partitions) {
        return (long) (quotaBytes * QUOTA_RETENTION_FRACTION) / partitions;
    }

    public byte[] toJson() {
        ObjectNode n = FORMAT.object();
        // Clients from before the version field require "format" to be 1, and it must stop them
        // once the version grows.
        n.put(PayloadFormat.LEGACY_FIELD, FORMAT.version());
        n.put("partitions", partitions);
        n.put("maxBatchBytes", maxBatchBytes);
        n.put("segmentBatches", segmentBatches);
        n.put("retentionBytes", retentionBytes);
        n.put("retentionMs", retentionTime.toMillis());
        if (quotaBytes > 0) {
            n.put(
                    "quotaBytes",
                    quotaBytes); // absent means none, so configs without a quota read as before
        }
        // Absent means no tier, so configs written before tiered storage read unchanged.
        if (tierUri != null) {
            n.put("tierUri", tierUri);
        }
        if (hotRetentionBytes > 0) {
            n.put("hotRetentionBytes", hotRetentionBytes);
        }
        if (hotRetentionTime != null) {
            n.put("hotRetentionMs", hotRetentionTime.toMillis());
        }
        return Json.write(n);
    }

    /** Parses and validates a stored config; errors name the znode and the field. */
    public static QueueConfig fromJson(byte[] data, String path) {
        JsonNode n = FORMAT.read(data, path);
        try {
            return builder()
                    .partitions(Math.toIntExact(Json.requireLong(n, "partitions", path)))
                    .maxBatchBytes(Math.toIntExact(Json.requireLong(n, "maxBatchBytes", path)))
                    .segmentBatches(Math.toIntExact(Json.requireLong(n, "segmentBatches", path)))
                    .retentionBytes(Json.requireLong(n, "retentionBytes", path))
                    .retentionTime(Duration.ofMillis(Json.requireLong(n, "retentionMs", path)))
                    .quotaBytes(n.has("quotaBytes") ? Json.requireLong(n, "quotaBytes", path) : 0)
                    .tierUri(n.has("tierUri") ? Json.requireText(n, "tierUri", path) : null)
                    .hotRetentionBytes(
                            n.has("hotRetentionBytes")
                                    ? Json.requireLong(n, "hotRetentionBytes", path)
                                    : 0)
                    .hotRetentionTime(
                            n.has("hotRetentionMs")
                                    ? Duration.ofMillis(Json.requireLong(n, "hotRetentionMs", path))
                                    : null)
                    .build();
        } catch (ArithmeticException | InvalidConfigException e) {
            throw new InvalidConfigException(
                    "Znode " + path + " holds an invalid queue config: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QueueConfig c
                && partitions == c.partitions
                && maxBatchBytes == c.maxBatchBytes
                && segmentBatches == c.segmentBatches
                && retentionBytes == c.retentionBytes
                && retentionTime.equals(c.retentionTime)
                && quotaBytes == c.quotaBytes
                && Objects.equals(tierUri, c.tierUri)
                && hotRetentionBytes == c.hotRetentionBytes
                && Objects.equals(hotRetentionTime, c.hotRetentionTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                partitions,
                maxBatchBytes,
                segmentBatches,
                retentionBytes,
                retentionTime,
                quotaBytes,
                tierUri,
                hotRetentionBytes,
                hotRetentionTime);
    }

    @Override
    public String toString() {
        return "partitions="
                + partitions
                + ", maxBatchBytes="
                + maxBatchBytes
                + ", segmentBatches="
                + segmentBatches
                + ", retentionBytes="
                + retentionBytes
                + ", retentionTime="
                + retentionTime
                + (quotaBytes > 0 ? ", quotaBytes=" + quotaBytes : "")
                + (tierUri != null
                        ? ", tierUri=" + tierUri + ", hotRetentionBytes=" + hotRetentionBytes
                        : "")
                + (hotRetentionTime != null ? ", hotRetentionTime=" + hotRetentionTime : "");
    }

    /** Validating builder; defaults suit 100-byte to 100-KiB records on a 3-server ensemble. */
    public static final class Builder {
        private int partitions = 1;
        private int maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
        private int segmentBatches = DEFAULT_SEGMENT_BATCHES;
        private long retentionBytes = DEFAULT_RETENTION_BYTES;
        private Duration retentionTime = DEFAULT_RETENTION_TIME;
        private long quotaBytes;
        private String tierUri;
        private long hotRetentionBytes;
        private Duration hotRetentionTime;

        private Builder() {}

        public Builder partitions(int partitions) {
            if (partitions < 1 || partitions > MAX_PARTITIONS) {
                throw new InvalidConfigException(
                        "partitions must be between 1 and "
                                + MAX_PARTITIONS
                                + ", got "
                                + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        public Builder maxBatchBytes(int maxBatchBytes) {
            if (maxBatchBytes < MIN_BATCH_BYTES || maxBatchBytes > MAX_BATCH_BYTES_LIMIT) {
                throw new InvalidConfigException(
                        "maxBatchBytes must be between "
                                + MIN_BATCH_BYTES
                                + " and "
                                + MAX_BATCH_BYTES_LIMIT
                                + " (ZooKeeper's 1 MiB request limit), got "
                                + maxBatchBytes);
            }
            this.maxBatchBytes = maxBatchBytes;
            return this;
        }

        public Builder segmentBatches(int segmentBatches) {
            if (segmentBatches < 2 || segmentBatches > MAX_SEGMENT_BATCHES) {
                throw new InvalidConfigException(
                        "segmentBatches must be between 2 and "
                                + MAX_SEGMENT_BATCHES
                                + ", got "
                                + segmentBatches);
            }
            this.segmentBatches = segmentBatches;
            return this;
        }

        public Builder retentionBytes(long retentionBytes) {
            if (retentionBytes < 1) {
                throw new InvalidConfigException(
                        "retentionBytes must be positive (ZooKeeper keeps every byte in heap, so"
                                + " a queue must be bounded), got "
                                + retentionBytes);
            }
            this.retentionBytes = retentionBytes;
            return this;
        }

        public Builder retentionTime(Duration retentionTime) {
            if (retentionTime == null || retentionTime.isNegative() || retentionTime.isZero()) {
                throw new InvalidConfigException(
                        "retentionTime must be positive, got " + retentionTime);
            }
            this.retentionTime = retentionTime;
            return this;
        }

        /** The queue's byte budget in ZooKeeper for all partitions together; 0 removes it. */
        public Builder quotaBytes(long quotaBytes) {
            if (quotaBytes < 0) {
                throw new InvalidConfigException(
                        "quotaBytes must be positive, or 0 for no quota, got " + quotaBytes);
            }
            this.quotaBytes = quotaBytes;
            return this;
        }

        /**
         * A Flink FileSystem URI with a scheme (e.g. {@code file:///data/zkmq-tier}); null removes
         * the tier.
         */
        public Builder tierUri(String tierUri) {
            if (tierUri != null) {
                URI uri;
                try {
                    uri = new URI(tierUri);
                } catch (URISyntaxException e) {
                    throw new InvalidConfigException(
                            "tierUri '" + tierUri + "' is not a valid URI: " + e.getMessage(), e);
                }
                if (uri.getScheme() == null) {
                    throw new InvalidConfigException(
                            "tierUri '"
                                    + tierUri
                                    + "' has no scheme: name the file system, e.g."
                                    + " file:///data/zkmq-tier or s3://bucket/zkmq");
                }
            }
            this.tierUri = tierUri;
            return this;
        }

        /** Per partition; required (above one segment's bytes) with a tier, 0 for none. */
        public Builder hotRetentionBytes(long hotRetentionBytes) {
            if (hotRetentionBytes < 0) {
                throw new InvalidConfigException(
                        "hotRetentionBytes must be positive, or 0 for none, got "
                                + hotRetentionBytes);
            }
            this.hotRetentionBytes = hotRetentionBytes;
            return this;
        }

        /** Per partition; null for no time bound on the hot tail. */
        public Builder hotRetentionTime(Duration hotRetentionTime) {
            if (hotRetentionTime != null
                    && (hotRetentionTime.isNegative() || hotRetentionTime.isZero())) {
                throw new InvalidConfigException(
                        "hotRetentionTime must be positive, got " + hotRetentionTime);
            }
            this.hotRetentionTime = hotRetentionTime;
            return this;
        }

        public QueueConfig build() {
            QueueConfig config = new QueueConfig(this);
            QueueConfigChecks.check(config);
            return config;
        }
    }
}
