package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/** The consumer group has no state (no znode) in the queue. */
@PublicEvolving
public class GroupNotFoundException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public GroupNotFoundException(String message) {
        super(message);
    }
}
