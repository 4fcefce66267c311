package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * An invalid name, option or queue configuration; the message names the setting and what is
 * allowed.
 */
@PublicEvolving
public class InvalidConfigException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
