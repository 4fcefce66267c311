/**
 * Pure, deterministic placement functions: which partition a record key goes to ({@link
 * io.zkmq.hashing.KeyRouter}) and which reader owns which split ({@link
 * io.zkmq.hashing.StickyBalancedAssigner}).
 *
 * <p>Every result here must be reproducible by another process, another JVM and another language,
 * so nothing depends on {@code Object.hashCode}, {@code HashMap} iteration order, the clock or
 * randomness. Hashes are xxh3_64 from hash4j.
 *
 * <p>May import nothing of {@code io.zkmq}; the JDK and hash4j only.
 */
package io.zkmq.hashing;
