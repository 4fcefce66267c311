package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Root of the connector's unchecked exception family. Every subclass names the queue, partition and
 * znode it concerns where those are known, so an operator can find the problem without a debugger.
 */
@PublicEvolving
public class ZkmqException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ZkmqException(String message) {
        super(message);
    }

    public ZkmqException(String message, Throwable cause) {
        super(message, cause);
    }
}
