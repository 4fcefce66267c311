package io.zkmq.bench;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The executor a Curator {@code DistributedQueue} runs each message's processing on (get, delete,
 * consume), inline on the calling thread like Curator's default direct executor, plus a gate that
 * stops it between messages.
 *
 * <p>Closing a {@code DistributedQueue} interrupts its thread, and if that thread is inside a
 * ZooKeeper call Curator logs the interruption as an error. {@link #close} first lets the message
 * in progress finish and refuses the rest (a refused message is left in ZooKeeper and the queue's
 * thread waits for it until the close interrupts that wait, which Curator ignores), so the close
 * that follows interrupts no ZooKeeper call.
 */
final class ProcessingGate implements Executor {

    private final Object lock = new Object();
    private boolean open = true;
    private boolean running;

    @Override
    public void execute(Runnable processing) {
        synchronized (lock) {
            if (!open) {
                return;
            }
            running = true;
        }
        try {
            processing.run();
        } finally {
            synchronized (lock) {
                running = false;
                lock.notifyAll();
            }
        }
    }

    /**
     * Refuses further messages and waits, for at most {@code timeout}, until none is in progress;
     * true if none is.
     */
    boolean close(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            open = false;
            while (running) {
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) {
                    return false;
                }
                lock.wait(remainingMillis);
            }
            return true;
        }
    }
}
