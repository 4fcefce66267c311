package io.zkmq.bench;

import static java.util.Objects.requireNonNull;

/**
 * One measured figure of a scenario, for example {@code raw_zk_create_MBps = 118.3 MB/s}.
 *
 * <p>The name is printed verbatim in the {@code RESULT <name> <value>} line that scripts parse, so
 * it must be a single token.
 */
public record Result(String name, double value, String unit) {

    public Result {
        requireNonNull(name, "name");
        requireNonNull(unit, "unit");
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "Result name must be one non-blank token, got '" + name + "'");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "Result " + name + " must be a finite number, got " + value);
        }
    }
}
