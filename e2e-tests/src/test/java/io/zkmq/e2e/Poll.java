package io.zkmq.e2e;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for conditions by asking again and again until a deadline: the only place the tests pause.
 */
final class Poll {
    private static final Duration INTERVAL = Duration.ofMillis(200);

    private Poll() {}

    /**
     * Returns the first value that {@code probe} yields, asking every 200 ms; throws {@link
     * AssertionError} with {@code what} and the diagnostics after {@code timeout}.
     */
    static <T> T until(
            String what,
            Duration timeout,
            Supplier<Optional<T>> probe,
            Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "Timed out after "
                                + timeout.toSeconds()
                                + " s waiting for "
                                + what
                                + "\n"
                                + diagnostics.get());
            }
            pause();
        }
    }

    static void until(
            String what,
            Duration timeout,
            BooleanSupplier condition,
            Supplier<String> diagnostics) {
        until(
                what,
                timeout,
                () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(),
                diagnostics);
    }

    private static void pause() {
        try {
            Thread.sleep(INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting", e);
        }
    }
}
