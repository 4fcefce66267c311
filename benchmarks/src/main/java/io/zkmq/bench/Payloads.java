package io.zkmq.bench;

import java.util.SplittableRandom;

/**
 * Payloads for the workloads: pseudo-random bytes from a fixed seed, so every run writes the same
 * data.
 */
final class Payloads {

    private static final long SEED = 0x5A4B4D51L;

    private Payloads() {}

    static byte[] random(int size) {
        byte[] payload = new byte[size];
        new SplittableRandom(SEED).nextBytes(payload);
        return payload;
    }
}
