package io.zkmq.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, re-checking briefly; fails with a message when it passes.
 */
public final class Deadline {
    private Deadline() {}

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }
}
