/**
 * What the Flink source and sink share: the connection options ({@link
 * io.zkmq.connector.ZkmqConnectionOptions}), waiting for a queue to exist, and telling permanent
 * failures from ones a restart can fix.
 *
 * <p>May import {@code client}, {@code coordination}, {@code queue} and {@code error}; Flink. No
 * Curator or ZooKeeper: it reaches ZooKeeper through {@code client}.
 */
package io.zkmq.connector;
