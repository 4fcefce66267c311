package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * The caller lost ownership of a partition (a newer owner's epoch fenced it), so its commit was
 * rejected.
 */
@PublicEvolving
public class FencedException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public FencedException(String message) {
        super(message);
    }

    public FencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
