package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/** A versioned (compare-and-set) update lost against a concurrent writer. */
@PublicEvolving
public class ConcurrentUpdateException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public ConcurrentUpdateException(String message) {
        super(message);
    }

    public ConcurrentUpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
