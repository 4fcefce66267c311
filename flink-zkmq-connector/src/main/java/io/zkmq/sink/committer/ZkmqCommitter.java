package io.zkmq.sink.committer;

import io.zkmq.client.TransactionStore;
import io.zkmq.client.ZkmqClient;
import io.zkmq.error.TransactionAbortedException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.sink.ZkmqSinkConfig;
import java.util.Collection;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes staged transactions visible once their checkpoint completed. A repeated commit (after a
 * restore) is recognised and reported as already committed. A transaction that was aborted fails
 * the job: its records are lost to this checkpoint, and saying so loudly is the only honest outcome
 * (Flink would only log a commit "failed with a known reason"). Transient ZooKeeper trouble is
 * retried a configured number of times.
 */
@Internal
public final class ZkmqCommitter implements Committer<ZkmqCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqCommitter.class);

    private final ZkmqSinkConfig config;
    private ZkmqClient client;

    public ZkmqCommitter(ZkmqSinkConfig config) {
        this.config = config;
    }

    @Override
    public void commit(Collection<CommitRequest<ZkmqCommittable>> requests) {
        for (CommitRequest<ZkmqCommittable> request : requests) {
            ZkmqCommittable c = request.getCommittable();
            try {
                TransactionStore.CommitOutcome outcome =
                        client().transactions()
                                .commit(c.queue(), c.partition(), c.transaction(), c.attempt());
                if (outcome == TransactionStore.CommitOutcome.ALREADY_COMMITTED) {
                    LOG.info("{} was already committed", c);
                    request.signalAlreadyCommitted();
                }
            } catch (TransactionAbortedException e) {
                request.signalFailedWithUnknownReason(
                        new ZkmqException("Cannot commit " + c + ": " + e.getMessage(), e));
            } catch (RuntimeException e) {
                if (!ZkErrors.isTransient(e)) {
                    request.signalFailedWithUnknownReason(
                            new ZkmqException("Cannot commit " + c + ": " + e.getMessage(), e));
                } else if (request.getNumberOfRetries() < config.commitRetries()) {
                    LOG.warn(
                            "Commit of {} failed ({}); retrying (attempt {} of {})",
                            c,
                            e.getMessage(),
                            request.getNumberOfRetries() + 1,
                            config.commitRetries());
                    request.retryLater();
                } else {
                    request.signalFailedWithUnknownReason(
                            new ZkmqException(
                                    "Cannot commit "
                                            + c
                                            + " after "
                                            + config.commitRetries()
                                            + " retries: "
                                            + e.getMessage(),
                                    e));
                }
            }
        }
    }

    private ZkmqClient client() {
        if (client == null) {
            client = ZkmqClient.connect(config.client());
        }
        return client;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
