package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A tier object (a queue segment moved to the tier file system) failed its checks: bad magic,
 * unknown version, CRC32C mismatch, truncation, or a batch inside it that is corrupt. The message
 * names the object path and what failed. A {@link CorruptBatchException}, so code that stops on
 * corrupt queue data stops on a corrupt object the same way: never skipped.
 */
@PublicEvolving
public class CorruptObjectException extends CorruptBatchException {
    private static final long serialVersionUID = 1L;

    public CorruptObjectException(String message) {
        super(message);
    }

    public CorruptObjectException(String message, Throwable cause) {
        super(message, cause);
    }
}
