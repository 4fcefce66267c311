/**
 * The {@code zkmq-benchmark} program ({@link io.zkmq.bench.ZkmqBenchmark}): scenarios that measure
 * the client, the Flink source and sink, and raw ZooKeeper/Curator baselines ({@code
 * docs/performance.md}).
 *
 * <p>An application, not API. It may import any connector package, including {@code @Internal}
 * classes (e.g. the source's split and enumerator state, to time the enumerator alone); Flink,
 * Curator and ZooKeeper.
 */
package io.zkmq.bench;
