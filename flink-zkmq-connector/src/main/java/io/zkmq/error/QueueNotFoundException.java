package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/** The queue (its config znode) does not exist. */
@PublicEvolving
public class QueueNotFoundException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public QueueNotFoundException(String message) {
        super(message);
    }

    public QueueNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
