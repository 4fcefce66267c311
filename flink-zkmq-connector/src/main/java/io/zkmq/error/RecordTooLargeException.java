package io.zkmq.error;

/** A record does not fit into one batch of the queue, whose size ZooKeeper's request limit bounds. */
public class RecordTooLargeException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
