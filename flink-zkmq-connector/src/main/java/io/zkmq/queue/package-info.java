/**
 * The storage model of a queue in ZooKeeper: znode paths, queue configuration, records and the
 * versioned, checksummed batch format. Pure: no I/O, so it is unit-testable in milliseconds.
 *
 * <p>May import {@code error}; the JDK, Jackson (for the JSON znodes) and hash4j.
 */
package io.zkmq.queue;
