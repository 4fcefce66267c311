package io.zkmq.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The input of the example job QueueToQueue and the check of its output, with the plain client.
 *
 * <p>Input event {@code i} is purchase number {@code i / customers} of customer {@code i %
 * customers}, as text {@code customer-<k>,<seq>,<amount>} keyed by {@code customer-<k>} (the
 * examples' event format). For each event the job writes {@code customer,seq,amount,count,total}:
 * the customer's running count and total.
 */
final class Purchases {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private Purchases() {}

    static String event(long index, int customers) {
        return "customer-"
                + (index % customers)
                + ","
                + (index / customers)
                + ","
                + (1 + (index * 7919) % 1000);
    }

    /** Writes events 0..count-1; returns once every one is acknowledged (durable). */
    static void produce(ZkmqClient client, String queue, long count, int customers) {
        try (ZkmqProducer producer = client.producer(queue)) {
            for (long i = 0; i < count; i++) {
                String text = event(i, customers);
                String customer = text.substring(0, text.indexOf(','));
                producer.send(
                        new Record(
                                customer.getBytes(UTF_8),
                                text.getBytes(UTF_8),
                                List.of(),
                                System.currentTimeMillis()));
            }
            producer.flush();
        }
    }

    /**
     * Records visible to readers in all partitions of {@code queue}: the sum of the partition
     * heads.
     */
    static long committed(ZkmqClient client, String queue, int partitions) {
        long sum = 0;
        for (int p = 0; p < partitions; p++) {
            sum += client.admin().readHead(queue, p).nextOffset();
        }
        return sum;
    }

    /**
     * Reads the whole output queue and lists what contradicts "every input event produced exactly
     * one output record, in order per customer": a customer's records must count 1, 2, 3, ... with
     * purchase numbers 0, 1, 2, ... and a running total that adds each amount once; and there must
     * be as many records as input events. A duplicate, a loss, or state restored to the wrong point
     * all break one of these.
     */
    static List<String> checkExactlyOnce(
            ZkmqClient client, String output, int partitions, long inputEvents) {
        long visible = committed(client, output, partitions);
        List<String> problems = new ArrayList<>();
        Map<String, Long> lastCount = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        long read = 0;
        try (ZkmqConsumer consumer = client.consumer(output, ConsumerOptions.builder().build())) {
            Map<Integer, StartingPosition> all = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                all.put(p, StartingPosition.earliest());
            }
            consumer.assign(all);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (read < visible && System.nanoTime() - deadline < 0) {
                for (QueueRecord r : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    String[] f = r.valueAsString().split(",");
                    String customer = f[0];
                    long seq = Long.parseLong(f[1]);
                    long amount = Long.parseLong(f[2]);
                    long count = Long.parseLong(f[3]);
                    long sum = Long.parseLong(f[4]);
                    long previous = lastCount.getOrDefault(customer, 0L);
                    long previousTotal = total.getOrDefault(customer, 0L);
                    if ((count != previous + 1 || seq != previous || sum != previousTotal + amount)
                            && problems.size() < 10) {
                        problems.add(
                                String.format(
                                        "%s: got purchase %d as number %d (total %d) after number %d (total %d)",
                                        customer, seq, count, sum, previous, previousTotal));
                    }
                    lastCount.put(customer, count);
                    total.put(customer, sum);
                }
            }
        }
        if (read != visible) {
            problems.add(
                    0,
                    "read "
                            + read
                            + " output records of "
                            + visible
                            + " visible within "
                            + READ_TIMEOUT.toSeconds()
                            + " s");
        }
        long counted = lastCount.values().stream().mapToLong(Long::longValue).sum();
        if (read != inputEvents || counted != inputEvents) {
            problems.add(
                    0,
                    "expected "
                            + inputEvents
                            + " output records (one per input event), read "
                            + read
                            + " whose last running counts add up to "
                            + counted);
        }
        return problems;
    }
}
