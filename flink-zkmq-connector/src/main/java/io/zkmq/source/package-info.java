/**
 * The Flink FLIP-27 source reading ZKMQ queues: {@link io.zkmq.source.ZkmqSource}, its builder,
 * starting and stopping positions, the deserialization schema and the source options. The split,
 * the enumerator and the reader live in the sub-packages.
 *
 * <p>May import {@code connector}, {@code client}, {@code coordination}, {@code queue}, {@code
 * hashing} and {@code error}; Flink. Never {@code sink}, and no Curator or ZooKeeper.
 */
package io.zkmq.source;
