package io.zkmq.coordination;

import io.zkmq.error.OwnershipTimeoutException;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.queue.OwnerInfo;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one {@link Lease} for a {@link ZkLeaseService}: tries, and while another owner holds it
 * retries on the lease thread with a backoff up to one second until the lease timeout, then hands
 * the outcome to the service and the lease's listener.
 */
final class LeaseTaker {
    // Logs under the service's name, as before the split, so log settings keep applying.
    private static final Logger LOG = LoggerFactory.getLogger(ZkLeaseService.class);
    private static final long RETRY_MILLIS_MAX = 1_000;

    private final ScheduledExecutorService executor;
    private final ZkLeaseService service;
    private final String group;
    private final String ownerId;
    private final Duration timeout;
    private final String timeoutSetting;

    LeaseTaker(
            ScheduledExecutorService executor,
            ZkLeaseService service,
            String group,
            String ownerId,
            Duration timeout,
            String timeoutSetting) {
        this.executor = executor;
        this.service = service;
        this.group = group;
        this.ownerId = ownerId;
        this.timeout = timeout;
        this.timeoutSetting = timeoutSetting;
    }

    /** One try at the lease; on the lease thread only. */
    void attempt(
            Lease lease,
            int generation,
            String purpose,
            long startedNanos,
            long lastNanos,
            long retryMillis,
            boolean reported) {
        if (!service.isLive(lease, generation)) {
            return; // released, replaced, lost again or fenced meanwhile
        }
        long now = System.nanoTime();
        long sinceLast = TimeUnit.NANOSECONDS.toMillis(now - lastNanos);
        OwnershipToken taken = null;
        String holder;
        try {
            PartitionOwnership.Attempt attempt = lease.ownership.tryTake(ownerId);
            if (attempt.taken()) {
                taken = attempt.token().get();
                if (reported) {
                    LOG.info(
                            "Owner '{}' took {} of group '{}'{} after waiting {} ms",
                            ownerId,
                            lease.key,
                            group,
                            purpose,
                            TimeUnit.NANOSECONDS.toMillis(now - startedNanos));
                }
                lease.listener.doneWaiting(sinceLast);
                if (lease.lost) {
                    lease.token = taken;
                    service.retakeDone(lease);
                    lease.listener.regained(taken);
                } else {
                    lease.listener.acquired(taken, lease.ownership.committed());
                    lease.token = taken;
                }
                return;
            }
            holder = attempt.holder().map(LeaseTaker::describe).orElse("an owner that just left");
        } catch (QueueNotFoundException e) {
            if (taken != null) {
                service.releaseQuietly(lease, taken);
            }
            service.give(lease, e, sinceLast);
            return;
        } catch (Exception e) {
            holder = "unknown (error: " + e + ")";
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(now - startedNanos);
        lease.listener.waiting(holder, sinceLast);
        if (waited >= timeout.toMillis()) {
            service.give(
                    lease,
                    new OwnershipTimeoutException(
                            "Owner '"
                                    + ownerId
                                    + "' waited "
                                    + waited
                                    + " ms for "
                                    + lease.key
                                    + " of group '"
                                    + group
                                    + "'"
                                    + purpose
                                    + ", held by "
                                    + holder
                                    + ". Another job or client of the same"
                                    + " group is reading it: stop it, use another group, or raise "
                                    + timeoutSetting
                                    + " (now "
                                    + timeout.toMillis()
                                    + " ms)"),
                    0);
            return;
        }
        if (!reported) {
            LOG.warn(
                    "{} of group '{}' is held by {}; owner '{}' waits up to {} ms for it{}",
                    lease.key,
                    group,
                    holder,
                    ownerId,
                    timeout.toMillis(),
                    purpose);
        }
        long next = Math.min(RETRY_MILLIS_MAX, retryMillis * 2);
        executor.schedule(
                () -> attempt(lease, generation, purpose, startedNanos, now, next, true),
                retryMillis,
                TimeUnit.MILLISECONDS);
    }

    private static String describe(OwnerInfo o) {
        return "owner '"
                + o.ownerId()
                + "' (epoch "
                + o.epoch()
                + ", session 0x"
                + Long.toHexString(o.sessionId())
                + ")";
    }
}
