/**
 * The source reader: takes the group partition lock of each split, fetches and decodes batches,
 * emits records and commits positions, fenced, when checkpoints complete.
 *
 * <p>May import what {@code io.zkmq.source} may import (for now {@code PartitionLocks} also uses
 * Curator connection-state listeners, until the partition lease of {@code coordination} replaces
 * them).
 */
package io.zkmq.source.reader;
