/**
 * The source split (one partition of one queue, with its next position) and its checkpoint
 * serializer and mutable reading state.
 *
 * <p>May import what {@code io.zkmq.source} may import.
 */
package io.zkmq.source.split;
