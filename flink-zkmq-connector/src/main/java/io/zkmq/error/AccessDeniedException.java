package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/** ZooKeeper refused an operation for lack of credentials or ACL permission. */
@PublicEvolving
public class AccessDeniedException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(message);
    }

    public AccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
