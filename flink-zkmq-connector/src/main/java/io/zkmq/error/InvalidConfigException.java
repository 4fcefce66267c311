package io.zkmq.error;

/** An invalid name, option or queue configuration; the message names the setting and what is allowed. */
public class InvalidConfigException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(message);
    }

    public InvalidConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
