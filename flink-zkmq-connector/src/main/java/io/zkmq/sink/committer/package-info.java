/**
 * The sink committer: the committable of an exactly-once transaction, its checkpoint serializer,
 * and the committer that commits (or re-commits after recovery) staged transactions.
 *
 * <p>May import what {@code io.zkmq.sink} may import.
 */
package io.zkmq.sink.committer;
