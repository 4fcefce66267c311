package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A stored batch failed its checksum or structural checks. Raised, never skipped: nothing is lost
 * silently.
 */
@PublicEvolving
public class CorruptBatchException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public CorruptBatchException(String message) {
        super(message);
    }

    public CorruptBatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
