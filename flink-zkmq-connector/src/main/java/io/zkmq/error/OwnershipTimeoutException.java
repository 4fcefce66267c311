package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/** A partition of a group stayed held by another owner longer than the lock wait timeout. */
@PublicEvolving
public class OwnershipTimeoutException extends ZkmqTimeoutException {
    private static final long serialVersionUID = 1L;

    public OwnershipTimeoutException(String message) {
        super(message);
    }

    public OwnershipTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
