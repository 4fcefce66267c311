package io.zkmq.error;

/** The queue (its config znode) does not exist. */
public class QueueNotFoundException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public QueueNotFoundException(String message) {
        super(message);
    }

    public QueueNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
