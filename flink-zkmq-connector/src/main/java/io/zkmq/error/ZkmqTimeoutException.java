package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/** An operation did not complete within its configured timeout. */
@PublicEvolving
public class ZkmqTimeoutException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public ZkmqTimeoutException(String message) {
        super(message);
    }

    public ZkmqTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
