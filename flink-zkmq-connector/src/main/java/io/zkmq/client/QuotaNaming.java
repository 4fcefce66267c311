package io.zkmq.client;

import io.zkmq.error.QuotaExceededException;
import io.zkmq.error.ZkmqException;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Names the queue's byte quota in a producer's quota refusals: the appender that meets the refusal
 * knows the queue, not its config.
 */
final class QuotaNaming {
    private final Supplier<OptionalLong> budget;

    QuotaNaming(Supplier<OptionalLong> budget) {
        this.budget = budget;
    }

    /** Whether the queue has a quota now (else there is nothing to name). */
    boolean active() {
        return budget.get().isPresent();
    }

    ZkmqException name(ZkmqException error) {
        OptionalLong quota = budget.get();
        if (error instanceof QuotaExceededException q
                && q.quotaBytes().isEmpty()
                && quota.isPresent()) {
            return q.withQuota(quota.getAsLong());
        }
        return error;
    }

    CompletableFuture<RecordMetadata> name(CompletableFuture<RecordMetadata> ack) {
        // Completed by hand, not by a dependent stage, so callers see the exception itself, not
        // wrapped.
        CompletableFuture<RecordMetadata> named = new CompletableFuture<>();
        ack.whenComplete(
                (metadata, error) -> {
                    if (error == null) {
                        named.complete(metadata);
                    } else {
                        named.completeExceptionally(
                                error instanceof ZkmqException z ? name(z) : error);
                    }
                });
        return named;
    }
}
