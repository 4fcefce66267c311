package io.zkmq.error;

/** ZooKeeper refused an operation for lack of credentials or ACL permission. */
public class AccessDeniedException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(message);
    }

    public AccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
