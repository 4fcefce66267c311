package io.zkmq.bench;

import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.queue.DistributedQueue;
import org.apache.curator.framework.recipes.queue.QueueBuilder;
import org.apache.curator.framework.recipes.queue.QueueSerializer;
import org.apache.curator.utils.ZKPaths;

/**
 * The baseline ZKMQ is meant to beat: Curator's {@link DistributedQueue}, one znode per message.
 *
 * <p>Two phases of at most {@link ScenarioContext#duration()} each, on messages of {@code
 * --record-size}:
 *
 * <ol>
 *   <li><b>put</b>: one thread calls {@code put} with {@code putInBackground(false)}, so each call
 *       returns only after ZooKeeper acknowledged the create. (Curator's default, background puts,
 *       returns before the write is durable and silently drops failed writes, so its "rate" would
 *       not measure delivery.)
 *   <li><b>take</b>: one consumer takes what the put phase wrote; the rate is taken messages over
 *       the time until the last one, or over the whole phase if it ran out of time first.
 * </ol>
 *
 * The put phase stops at {@value #MAX_ITEMS} messages: the recipe lists the queue's children and
 * {@code getChildren} fails past roughly 50,000 of them.
 */
final class CuratorQueueScenario implements Scenario {

    static final String NAME = "curator_queue";
    static final int MAX_ITEMS = 40_000;

    /**
     * How long the take phase waits for the message in progress before closing the queue anyway.
     */
    private static final Duration GATE_TIMEOUT = Duration.ofSeconds(10);

    private static final QueueSerializer<byte[]> BYTES =
            new QueueSerializer<>() {
                @Override
                public byte[] serialize(byte[] item) {
                    return item;
                }

                @Override
                public byte[] deserialize(byte[] bytes) {
                    return bytes;
                }
            };

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Result> run(ScenarioContext context) throws Exception {
        String base = context.newScratchPath(NAME);
        String queuePath = ZKPaths.makePath(base, "queue");
        try (CuratorFramework client = context.connect()) {
            return ZnodeCleaner.runThenDelete(
                    client,
                    base,
                    () -> {
                        Throughput put =
                                put(
                                        client,
                                        queuePath,
                                        Payloads.random(context.recordSize()),
                                        context.duration());
                        Throughput take =
                                take(client, queuePath, put.operations(), context.duration());
                        return List.of(
                                new Result(
                                        NAME + "_put_records_per_s", put.perSecond(), "records/s"),
                                new Result(
                                        NAME + "_take_records_per_s",
                                        take.perSecond(),
                                        "records/s"));
                    });
        }
    }

    private static Throughput put(
            CuratorFramework client, String queuePath, byte[] record, Duration duration)
            throws Exception {
        DistributedQueue<byte[]> queue =
                QueueBuilder.builder(client, null, BYTES, queuePath)
                        .putInBackground(false)
                        .buildQueue();
        queue.start();
        try {
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            long count = 0;
            while (System.nanoTime() - deadline < 0 && count < MAX_ITEMS) {
                queue.put(record);
                count++;
            }
            return new Throughput(
                    count, count * record.length, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            queue.close();
        }
    }

    private static Throughput take(
            CuratorFramework client, String queuePath, long expected, Duration duration)
            throws Exception {
        CountingQueueConsumer consumer = new CountingQueueConsumer(expected);
        // Processes messages inline like Curator's default executor, and lets the finally block
        // stop it between
        // messages, so that closing the queue at the end of the window interrupts no ZooKeeper
        // call.
        ProcessingGate gate = new ProcessingGate();
        DistributedQueue<byte[]> queue =
                QueueBuilder.builder(client, consumer, BYTES, queuePath)
                        .executor(gate)
                        .buildQueue();
        long start = System.nanoTime();
        queue.start();
        try {
            boolean tookAll = consumer.awaitAll(duration);
            long end = tookAll ? consumer.lastTakeNanos() : System.nanoTime();
            long taken = consumer.taken();
            long bytes = consumer.bytes();
            consumer.failIfConnectionLost(queuePath);
            return new Throughput(taken, bytes, Duration.ofNanos(Math.max(0, end - start)));
        } finally {
            gate.close(GATE_TIMEOUT);
            queue.close();
        }
    }
}
