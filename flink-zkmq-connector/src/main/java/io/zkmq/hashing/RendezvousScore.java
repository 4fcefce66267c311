package io.zkmq.hashing;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import java.nio.charset.StandardCharsets;

/**
 * The hashes behind split placement: xxh3_64 (seed 0) of an id's UTF-8 bytes, and the rendezvous
 * score of a (split, reader) pair.
 *
 * <p>The score is MurmurHash3's 64-bit finalizer {@code fmix64} applied to {@code splitHash ^
 * rotateLeft(readerHash, 1)}. The rotation keeps the score asymmetric, so a split and a reader that
 * happen to share an id do not cancel out to {@code fmix64(0) == 0}. Scores are compared unsigned.
 */
final class RendezvousScore {

    private static final Hasher64 ID_HASHER = Hashing.xxh3_64();

    private RendezvousScore() {}

    /** Returns xxh3_64 (seed 0) of the UTF-8 bytes of {@code id}. */
    static long idHash(String id) {
        return ID_HASHER.hashBytesToLong(id.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns the score of placing the split with {@code splitHash} on the reader with {@code
     * readerHash}.
     */
    static long score(long splitHash, long readerHash) {
        return fmix64(splitHash ^ Long.rotateLeft(readerHash, 1));
    }

    /** MurmurHash3's 64-bit finalizer: a bijection with full avalanche. */
    static long fmix64(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
