package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A record does not fit into one batch of the queue, whose size ZooKeeper's request limit bounds.
 */
@PublicEvolving
public class RecordTooLargeException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
