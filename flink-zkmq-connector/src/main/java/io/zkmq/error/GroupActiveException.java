package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * An administrative change to a consumer group (moving or deleting its offsets) was refused because
 * the group has live members or partition owners; the message names them.
 */
@PublicEvolving
public class GroupActiveException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public GroupActiveException(String message) {
        super(message);
    }
}
