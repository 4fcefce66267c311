package io.zkmq.client;

import io.zkmq.coordination.LeaseService;
import io.zkmq.error.FencedException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.error.ZkmqTimeoutException;
import io.zkmq.error.ZooKeeperUnavailableException;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group consumer's commits: stores each held partition's position, fenced by its lease epoch, and
 * skips positions already stored.
 */
final class OffsetCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqConsumer.class);

    private final String queue;
    private final String group;
    private final String memberId;
    private final LeaseService leases;
    private final PartitionReads reads;

    /** How long one commit may take: a whole session, plus connecting anew. */
    private final Duration bound;

    private final Map<Integer, Position> committed = new TreeMap<>();

    OffsetCommitter(
            ZkmqClient client,
            String queue,
            String group,
            String memberId,
            LeaseService leases,
            PartitionReads reads) {
        this.queue = queue;
        this.group = group;
        this.memberId = memberId;
        this.leases = leases;
        this.reads = reads;
        this.bound = client.options().sessionTimeout().plus(client.options().connectionTimeout());
    }

    /** Remembers a position as stored, e.g. the committed offset a lease came with. */
    void remember(int p, Position position) {
        committed.put(p, position);
    }

    void forget(int p) {
        committed.remove(p);
    }

    /**
     * Commits every partition of {@code held}; a fenced partition is handed to {@code dropFenced}.
     * Throws the first {@link FencedException} (else the first unavailability) after trying all.
     */
    void commit(Collection<Integer> held, IntConsumer dropFenced) {
        ZkmqException failure = null;
        for (int p : new ArrayList<>(held)) {
            try {
                commitPartition(p);
            } catch (FencedException f) {
                LOG.warn("{}", f.getMessage());
                dropFenced.accept(p);
                failure = failure instanceof FencedException ? failure : f;
            } catch (ZooKeeperUnavailableException u) {
                failure = failure == null ? u : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void commitPartition(int p) {
        Position position = reads.position(p);
        if (position == null || position.equals(committed.get(p))) {
            return;
        }
        String what =
                "committing "
                        + position
                        + " to "
                        + new QueuePartition(queue, p)
                        + " for group '"
                        + group
                        + "'";
        boolean stored;
        try {
            stored =
                    leases.commit(queue, p, position, -1)
                            .get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw ZkErrors.translate(e.getCause(), what);
        } catch (TimeoutException e) {
            throw new ZkmqTimeoutException(
                    "Timed out after " + bound.toMillis() + " ms " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkmqException("Interrupted while " + what, e);
        }
        if (!stored) {
            throw new ZooKeeperUnavailableException(
                    "Not "
                            + what
                            + ": member '"
                            + memberId
                            + "' lost the"
                            + " partition's lease with its expired ZooKeeper session and is taking it back; commit again once"
                            + " poll returns records");
        }
        committed.put(p, position);
    }
}
