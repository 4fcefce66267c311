/**
 * The storage model of a queue in ZooKeeper: znode paths, queue configuration, records and the
 * versioned, checksummed batch format. Pure: no I/O, so it is unit-testable in milliseconds.
 */
package io.zkmq.queue;
