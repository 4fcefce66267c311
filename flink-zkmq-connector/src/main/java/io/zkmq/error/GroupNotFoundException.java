package io.zkmq.error;

/** The consumer group has no state (no znode) in the queue. */
public class GroupNotFoundException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public GroupNotFoundException(String message) {
        super(message);
    }
}
