/**
 * Tier objects on a file system through Flink's {@link org.apache.flink.core.fs.FileSystem} ({@code
 * file://}, {@code s3://}, {@code hdfs://}, ... as configured for Flink's checkpoints): writing,
 * opening, reading, listing and deleting objects in the format of {@link
 * io.zkmq.queue.TierObjectFormat}. Nothing here touches ZooKeeper: the client's tier offload
 * ({@code io.zkmq.client.TierOffloadTask}) registers the objects.
 *
 * <p>May import {@code queue} and {@code error}; Flink's {@code FileSystem} (flink-core).
 */
package io.zkmq.tier;
