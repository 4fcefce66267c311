package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A read position lies below the partition's low-water mark (trimmed by retention) or above its
 * head.
 */
@PublicEvolving
public class OffsetOutOfRangeException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public OffsetOutOfRangeException(String message) {
        super(message);
    }

    public OffsetOutOfRangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
