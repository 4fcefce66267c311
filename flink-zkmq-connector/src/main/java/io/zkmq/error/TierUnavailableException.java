package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * The tier file system failed an operation (unreachable, I/O error, permission): the outcome says
 * nothing about the object's content, unlike {@link CorruptObjectException}, so it may be retried.
 * The message names the operation and the object or directory.
 */
@PublicEvolving
public class TierUnavailableException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public TierUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
