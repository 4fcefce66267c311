package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.error.DeliveryOutcomeUnknownException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.QueueContents;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real ZooKeeper server stopped under producer load for longer than the delivery timeout and the
 * session timeout, then restarted on the same port with its data. Every future must complete within
 * its delivery timeout plus the read-back margin, and what it reports must match what is stored.
 */
class ProducerOutageTest {
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CONNECTION_TIMEOUT =
            Duration.ofSeconds(3); // also the read-back margin
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);

    /** Linger, scheduling and the slack of a shared test machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    private TestingServer server;
    private ZkmqClient client;

    @BeforeEach
    void startServer() throws Exception {
        server = new TestingServer(InstanceSpec.getRandomPort(), true);
        client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(server.getConnectString())
                                .namespace(ZooKeeperExtension.freshNamespace())
                                .sessionTimeout(SESSION_TIMEOUT)
                                .connectionTimeout(CONNECTION_TIMEOUT)
                                .build());
    }

    @AfterEach
    void stopServer() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void everyFutureCompletesWithinItsDeliveryTimeoutAndAcknowledgedRecordsAreStoredExactlyOnce()
            throws Exception {
        client.admin()
                .createQueue(
                        "q", QueueConfig.builder().partitions(1).maxBatchBytes(16 * 1024).build());
        Outcomes outcomes =
                produceThroughAnOutage(
                        ProducerOptions.builder().batchBytes(4096).linger(Duration.ofMillis(1)),
                        1,
                        4);

        outcomes.assertEveryFutureCompletedInTime();
        outcomes.assertStoredExactlyAsReported(client, "q", 1);
    }

    @Test
    void recordsReportedNotWrittenAreAbsentAndOnlyUnknownOnesMayBeStored() throws Exception {
        client.admin().createQueue("q", QueueConfig.builder().partitions(4).build());
        Outcomes outcomes = produceThroughAnOutage(ProducerOptions.builder(), 4, 20);

        outcomes.assertEveryFutureCompletedInTime();
        assertThat(outcomes.count(Outcome.NOT_WRITTEN))
                .as("batches queued during the outage expired unsent")
                .isPositive();
        outcomes.assertStoredExactlyAsReported(client, "q", 4);
    }

    @Test
    void thousandsOfPendingBatchesFailingAtOnceDoNotOverflowTheStack() throws Exception {
        client.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
        int records = 20_000;
        Outcomes outcomes = new Outcomes(records);
        try (ZkmqProducer producer =
                client.producer(
                        "q",
                        ProducerOptions.builder()
                                .deliveryTimeout(DELIVERY_TIMEOUT)
                                .linger(Duration.ZERO)
                                .batchBytes(1)
                                .joinMaintenance(false)
                                .build())) {
            server.stop();
            for (int i = 0; i < records; i++) {
                outcomes.track(
                        i,
                        producer.send(
                                0, Record.of(null, "r" + i))); // each record is a batch of its own
            }
            outcomes.awaitAll();
            outcomes.assertEveryFutureCompletedInTime();
            assertThat(outcomes.count(Outcome.ACKNOWLEDGED)).isZero();
            assertThat(outcomes.count(Outcome.NOT_WRITTEN))
                    .as("batches that were never sent")
                    .isGreaterThanOrEqualTo(records - 1);
            server.restart();
        }
    }

    /**
     * Sends numbered records at a steady rate (about {@code perMilli} per millisecond); stops the
     * server once the session is lost and a record sent during the outage has failed, restarts it,
     * and sends on until records sent after the restart are acknowledged.
     */
    private Outcomes produceThroughAnOutage(
            ProducerOptions.Builder producerOptions, int partitions, int perMilli)
            throws Exception {
        Outcomes outcomes = new Outcomes(2_000_000);
        AtomicBoolean lost = new AtomicBoolean();
        client.curator()
                .getConnectionStateListenable()
                .addListener(
                        (c, state) -> {
                            if (state == ConnectionState.LOST) {
                                lost.set(true);
                            }
                        });
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try (ZkmqProducer producer =
                client.producer(
                        "q",
                        producerOptions
                                .deliveryTimeout(DELIVERY_TIMEOUT)
                                .joinMaintenance(false)
                                .build())) {
            sender.scheduleAtFixedRate(
                    () -> {
                        for (int k = 0; k < perMilli && sent.get() < outcomes.capacity(); k++) {
                            int i = sent.get();
                            outcomes.track(
                                    i, producer.send(i % partitions, Record.of(null, "r" + i)));
                            sent.incrementAndGet();
                        }
                    },
                    0,
                    1,
                    TimeUnit.MILLISECONDS);
            outcomes.await(
                    "records acknowledged before the outage",
                    Duration.ofSeconds(30),
                    () -> outcomes.count(Outcome.ACKNOWLEDGED) >= 5_000);

            outcomes.stoppedAt = System.nanoTime();
            server.stop();
            int firstDuringOutage = sent.get();
            outcomes.await(
                    "the session is lost and a record sent during the outage failed",
                    Duration.ofSeconds(60),
                    () -> lost.get() && outcomes.failedFrom(firstDuringOutage));

            server.restart();
            outcomes.restartedAt = System.nanoTime();
            int firstAfterRestart = sent.get();
            outcomes.await(
                    "records sent after the restart are acknowledged",
                    Duration.ofSeconds(60),
                    () -> outcomes.acknowledgedFrom(firstAfterRestart + 5_000));
        } finally {
            sender.shutdownNow();
            sender.awaitTermination(10, TimeUnit.SECONDS);
        }
        outcomes.awaitAll();
        return outcomes;
    }

    enum Outcome {
        PENDING,
        ACKNOWLEDGED,
        NOT_WRITTEN,
        UNKNOWN,
        NOT_A_ZKMQ_EXCEPTION
    }

    /** What each numbered record's future reported, and when, relative to its send. */
    private static final class Outcomes {
        private final long[] sentAt;
        private final long[] completedAt;
        private final Outcome[] outcome;
        private final long[] offset;
        private final int[] partition;
        private final long[] counts = new long[Outcome.values().length];
        private volatile int size;
        private int lastFailed = -1;
        volatile long stoppedAt;
        volatile long restartedAt;

        Outcomes(int capacity) {
            sentAt = new long[capacity];
            completedAt = new long[capacity];
            outcome = new Outcome[capacity];
            offset = new long[capacity];
            partition = new int[capacity];
            java.util.Arrays.fill(outcome, Outcome.PENDING);
        }

        int capacity() {
            return sentAt.length;
        }

        void track(int i, CompletableFuture<RecordMetadata> future) {
            sentAt[i] = System.nanoTime(); // after send() returned: send may block on a full buffer
            size = i + 1;
            future.whenComplete(
                    (m, e) -> {
                        synchronized (this) {
                            completedAt[i] = System.nanoTime();
                            if (e == null) {
                                offset[i] = m.offset();
                                partition[i] = m.partition();
                                outcome[i] = Outcome.ACKNOWLEDGED;
                            } else {
                                Throwable cause =
                                        e instanceof CompletionException && e.getCause() != null
                                                ? e.getCause()
                                                : e;
                                outcome[i] =
                                        cause instanceof DeliveryOutcomeUnknownException
                                                ? Outcome.UNKNOWN
                                                : cause instanceof ZkmqException
                                                        ? Outcome.NOT_WRITTEN
                                                        : Outcome.NOT_A_ZKMQ_EXCEPTION;
                                lastFailed = Math.max(lastFailed, i);
                            }
                            counts[outcome[i].ordinal()]++;
                        }
                    });
        }

        synchronized long count(Outcome o) {
            if (o != Outcome.PENDING) {
                return counts[o.ordinal()];
            }
            long done = 0;
            for (long c : counts) {
                done += c;
            }
            return size - done;
        }

        synchronized boolean failedFrom(int first) {
            return lastFailed >= first;
        }

        synchronized boolean acknowledgedFrom(int first) {
            return first < size && outcome[first] == Outcome.ACKNOWLEDGED;
        }

        /** Deadline.await, with the outcome counts in the failure. */
        void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
            try {
                Deadline.await(what, timeout, condition);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; " + this, e);
            }
        }

        @Override
        public synchronized String toString() {
            return size
                    + " sent, "
                    + java.util.Arrays.toString(Outcome.values())
                    + " = "
                    + java.util.Arrays.toString(counts)
                    + ", last 3 outcomes "
                    + java.util.Arrays.asList(outcome).subList(Math.max(0, size - 3), size);
        }

        void awaitAll() {
            Duration bound = DELIVERY_TIMEOUT.plus(CONNECTION_TIMEOUT).plus(SLACK).plusSeconds(10);
            await("every future completes", bound, () -> count(Outcome.PENDING) == 0);
        }

        synchronized void assertEveryFutureCompletedInTime() {
            long bound = DELIVERY_TIMEOUT.plus(CONNECTION_TIMEOUT).plus(SLACK).toNanos();
            assertThat(count(Outcome.NOT_A_ZKMQ_EXCEPTION))
                    .as("futures failed with a non-ZkmqException")
                    .isZero();
            long worst = 0;
            int worstIndex = -1;
            for (int i = 0; i < size; i++) {
                assertThat(outcome[i]).as("record %d", i).isNotEqualTo(Outcome.PENDING);
                if (completedAt[i] - sentAt[i] > worst) {
                    worst = completedAt[i] - sentAt[i];
                    worstIndex = i;
                }
            }
            long sent = worstIndex < 0 ? 0 : sentAt[worstIndex];
            assertThat(worst)
                    .as(
                            "slowest future (record %d, %s, sent %d ms after the stop, %d ms after the restart) took"
                                    + " %d ms; bound %d ms",
                            worstIndex,
                            worstIndex < 0 ? "-" : outcome[worstIndex],
                            TimeUnit.NANOSECONDS.toMillis(sent - stoppedAt),
                            TimeUnit.NANOSECONDS.toMillis(sent - restartedAt),
                            TimeUnit.NANOSECONDS.toMillis(worst),
                            TimeUnit.NANOSECONDS.toMillis(bound))
                    .isLessThanOrEqualTo(bound);
        }

        /**
         * Acknowledged: stored once, at the reported offset. Not written: absent. Unknown: at most
         * once.
         */
        synchronized void assertStoredExactlyAsReported(
                ZkmqClient client, String queue, int partitions) {
            long acknowledged = count(Outcome.ACKNOWLEDGED);
            List<QueueRecord> stored =
                    QueueContents.readAll(client, queue, partitions, (int) acknowledged);
            Map<Integer, Integer> copies = new HashMap<>();
            Map<Integer, QueueRecord> where = new HashMap<>();
            for (QueueRecord r : stored) {
                int i = Integer.parseInt(r.valueAsString().substring(1));
                copies.merge(i, 1, Integer::sum);
                where.put(i, r);
            }
            assertThat(copies.values()).as("no record stored twice").containsOnly(1);
            for (int i = 0; i < size; i++) {
                switch (outcome[i]) {
                    case ACKNOWLEDGED -> {
                        assertThat(where).as("acknowledged record %d is stored", i).containsKey(i);
                        assertThat(where.get(i).partition())
                                .as("partition of record %d", i)
                                .isEqualTo(partition[i]);
                        assertThat(where.get(i).offset())
                                .as("offset of record %d", i)
                                .isEqualTo(offset[i]);
                    }
                    case NOT_WRITTEN ->
                            assertThat(where)
                                    .as("record %d reported not written", i)
                                    .doesNotContainKey(i);
                    default -> {} // UNKNOWN: either is fine, and stored at most once (checked
                        // above)
                }
            }
            assertThat(stored.size())
                    .isLessThanOrEqualTo((int) (acknowledged + count(Outcome.UNKNOWN)));
        }
    }
}
