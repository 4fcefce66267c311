package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/** A queue of that name already exists. */
@PublicEvolving
public class QueueExistsException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public QueueExistsException(String message) {
        super(message);
    }

    public QueueExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
