package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A tier object does not exist (deleted by retention or clean-up, or never written): a definite
 * answer from the file system, distinct from {@link TierUnavailableException}. Names the path.
 */
@PublicEvolving
public class TierObjectNotFoundException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public TierObjectNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
