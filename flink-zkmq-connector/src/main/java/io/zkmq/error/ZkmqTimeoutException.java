package io.zkmq.error;

/** An operation did not complete within its configured timeout. */
public class ZkmqTimeoutException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public ZkmqTimeoutException(String message) {
        super(message);
    }

    public ZkmqTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
