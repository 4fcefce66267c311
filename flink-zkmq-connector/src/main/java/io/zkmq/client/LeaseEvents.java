package io.zkmq.client;

import io.zkmq.coordination.LeaseListener;
import io.zkmq.coordination.OwnershipToken;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.CommittedPosition;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Hands lease events from the lease thread to the polling thread, where {@link GroupPartitions}
 * reacts to them: the consumer's state is touched by one thread only.
 */
final class LeaseEvents {
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final Fetcher fetcher;

    LeaseEvents(Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    /** Runs what the lease thread reported; a failure is thrown (from poll), later events wait. */
    void runPending() {
        Runnable event;
        while ((event = events.poll()) != null) {
            event.run();
        }
    }

    LeaseListener listenerFor(int p, GroupPartitions target) {
        return new LeaseListener() {
            @Override
            public void acquired(OwnershipToken token, Optional<CommittedPosition> committed) {
                add(() -> target.acquired(p, token, committed));
            }

            @Override
            public void failed(ZkmqException error) {
                add(() -> target.failed(p, error));
            }

            @Override
            public void waiting(String holder, long millisSinceLastCall) {
                add(() -> target.waiting(p));
            }

            @Override
            public void lost(String queue, int partition) {
                add(() -> target.lost(p));
            }

            @Override
            public void regained(OwnershipToken token) {
                add(() -> target.regained(p, token));
            }
        };
    }

    private void add(Runnable event) {
        events.add(event);
        fetcher.wakeUp(); // a poll waiting for records sees the event at once
    }
}
