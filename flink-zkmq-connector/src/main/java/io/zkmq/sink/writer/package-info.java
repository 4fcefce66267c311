/**
 * The sink writer: routes each element to a queue and partition and delivers it, appending directly
 * (none, at-least-once) or staging it in a transaction (exactly-once), and the writer state kept in
 * checkpoints.
 *
 * <p>May import what {@code io.zkmq.sink} may import.
 */
package io.zkmq.sink.writer;
