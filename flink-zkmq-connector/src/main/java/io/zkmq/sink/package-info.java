/**
 * The Flink Sink V2 writing to ZKMQ queues: {@link io.zkmq.sink.ZkmqSink}, its builder, the
 * serialization schema with its partitioner, header provider and queue selector, and the sink
 * options. The writer and the committer live in the sub-packages.
 *
 * <p>May import {@code connector}, {@code client}, {@code coordination}, {@code queue}, {@code
 * hashing} and {@code error}; Flink. Never {@code source}, and no Curator or ZooKeeper.
 */
package io.zkmq.sink;
