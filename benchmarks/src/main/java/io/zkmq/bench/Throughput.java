package io.zkmq.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a measured phase achieved: operations and bytes acknowledged by ZooKeeper within {@code
 * elapsed}.
 *
 * <p>Rates use decimal units: 1 MB = 1,000,000 bytes.
 */
record Throughput(long operations, long bytes, Duration elapsed) {

    Throughput {
        requireNonNull(elapsed, "elapsed");
        if (operations < 0 || bytes < 0) {
            throw new IllegalArgumentException("operations and bytes must not be negative");
        }
    }

    double perSecond() {
        return seconds() == 0 ? 0 : operations / seconds();
    }

    double megabytesPerSecond() {
        return seconds() == 0 ? 0 : bytes / 1e6 / seconds();
    }

    private double seconds() {
        return elapsed.toNanos() / 1e9;
    }
}
