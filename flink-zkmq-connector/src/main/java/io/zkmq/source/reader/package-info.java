/**
 * The source reader: takes the group partition lock of each split, fetches and decodes batches,
 * emits records and commits positions, fenced, when checkpoints complete.
 *
 * <p>May import what {@code io.zkmq.source} may import; the locks go through the Curator-free
 * {@code coordination.LeaseService}.
 */
package io.zkmq.source.reader;
