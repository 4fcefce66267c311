/**
 * The source enumerator: discovers queues and partitions, turns them into splits and assigns them
 * to readers with the sticky balanced assignment, and its checkpointed state.
 *
 * <p>May import what {@code io.zkmq.source} may import.
 */
package io.zkmq.source.enumerator;
