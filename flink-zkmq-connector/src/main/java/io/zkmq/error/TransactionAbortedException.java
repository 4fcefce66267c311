package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A staged exactly-once transaction cannot be committed because it no longer exists: it was aborted
 * (by a restore, {@code zkmq txn abort}, or the maintenance leader's abandoned-transaction
 * timeout). Its records are not in the queue; committing would otherwise lose them silently.
 */
@PublicEvolving
public class TransactionAbortedException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public TransactionAbortedException(String message) {
        super(message);
    }
}
