package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * ZooKeeper could not be reached, or the session could not be kept, within the configured timeout.
 */
@PublicEvolving
public class ZooKeeperUnavailableException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public ZooKeeperUnavailableException(String message) {
        super(message);
    }

    public ZooKeeperUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
