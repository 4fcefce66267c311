package io.zkmq.error;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A producer future's records may or may not be stored: an append was sent but no definite answer
 * came back (the connection was lost, or no reply within the request timeout), and reading the
 * batch slot back did not settle it before the delivery timeout plus its read-back margin ran out.
 * Like Kafka's ambiguous timeouts: resending such records may duplicate them; read the partition to
 * check. Every other exception a producer future completes with means the records were definitely
 * not written.
 */
@PublicEvolving
public class DeliveryOutcomeUnknownException extends ZkmqException {
    private static final long serialVersionUID = 1L;

    public DeliveryOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
