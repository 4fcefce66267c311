package io.zkmq.examples;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.GroupPartitionInfo;
import io.zkmq.client.PartitionInfo;
import io.zkmq.client.QueueDescription;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.embedded.EmbeddedZooKeeper;
import io.zkmq.queue.Header;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The main demo: starts an embedded ZooKeeper (unless {@code --zookeeper} is given), creates a
 * queue, produces keyed records with the client, consumes them with a group of two consumers that
 * share the partitions under exactly-one-reader locks, commits, and verifies that every record
 * arrived exactly once and in order per key. Ends with a {@code VERIFIED ...} line or a non-zero
 * exit and a {@code FAILED ...} line.
 */
@Command(name = "zkmq-demo", mixinStandardHelpOptions = true,
        description = "Produce and consume through a ZKMQ queue and verify exactly-once, in-order delivery.")
public final class QueueDemo implements Callable<Integer> {
    @Option(names = "--zookeeper", description = "ZooKeeper connect string; default: start an embedded server")
    String zookeeper;

    @Option(names = "--namespace", defaultValue = "zkmq", description = "Root znode (default ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--queue", defaultValue = "demo-orders", description = "Queue name (default ${DEFAULT-VALUE})")
    String queue;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the queue (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--records", defaultValue = "200000", description = "Records to produce (default ${DEFAULT-VALUE})")
    int records;

    @Option(names = "--keys", defaultValue = "1000", description = "Distinct keys (default ${DEFAULT-VALUE})")
    int keys;

    public static void main(String[] args) {
        System.exit(new CommandLine(new QueueDemo()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        EmbeddedZooKeeper embedded = null;
        String connect = zookeeper;
        if (connect == null) {
            embedded = EmbeddedZooKeeper.startTemporary();
            connect = embedded.connectString();
            say("Started an embedded ZooKeeper at %s (data in %s)", connect, embedded.dataDir());
        }
        try (ZkmqClient client = ZkmqClient.connect(ZkmqClientOptions.builder(connect).namespace(namespace).build())) {
            return run(client);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private int run(ZkmqClient client) throws Exception {
        String name = queue;
        if (client.admin().queueExists(name)) {
            name = queue + "-" + System.currentTimeMillis();
        }
        client.admin().createQueue(name, QueueConfig.builder().partitions(partitions).build());
        say("Created queue '%s' with %d partitions", name, partitions);

        long start = System.nanoTime();
        long bytes = 0;
        try (ZkmqProducer producer = client.producer(name)) {
            for (int i = 0; i < records; i++) {
                String key = "customer-" + (i % keys);
                byte[] value = ("{\"order\":" + i + ",\"customer\":\"" + key + "\",\"amount\":" + (i % 997) + "}")
                        .getBytes(StandardCharsets.UTF_8);
                bytes += value.length;
                producer.send(new Record(key.getBytes(StandardCharsets.UTF_8), value,
                        List.of(Header.of("source", "demo")), System.currentTimeMillis()));
            }
            producer.flush();
        }
        double produceSeconds = (System.nanoTime() - start) / 1e9;
        say("Produced %,d records (%,d value bytes) in %.2f s: %,.0f records/s", records, bytes, produceSeconds,
                records / produceSeconds);
        printQueue(client.admin().describeQueue(name));

        // Two members of one group share the partitions; each partition has exactly one reader.
        String queueName = name;
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        Map<String, Integer> lastOrderOfKey = new ConcurrentHashMap<>();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong consumed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        start = System.nanoTime();
        List<Future<String>> members = new ArrayList<>();
        for (String member : List.of("consumer-a", "consumer-b")) {
            members.add(pool.submit(() -> consume(client, queueName, member, seen, lastOrderOfKey, problems, consumed)));
        }
        for (Future<String> m : members) {
            say("  %s", m.get());
        }
        pool.shutdown();
        double consumeSeconds = (System.nanoTime() - start) / 1e9;
        say("Consumed %,d records in %.2f s with a group of 2: %,.0f records/s", consumed.get(), consumeSeconds,
                consumed.get() / consumeSeconds);
        printGroup(client.admin().describeGroup(name, "demo"));

        long duplicates = seen.values().stream().filter(c -> c > 1).count();
        if (seen.size() != records || duplicates > 0 || !problems.isEmpty()) {
            System.out.printf("FAILED %d records produced -> %d distinct consumed, %d duplicated, %d out of order%n",
                    records, seen.size(), duplicates, problems.size());
            problems.stream().limit(5).forEach(p -> System.out.println("  " + p));
            return 1;
        }
        System.out.printf("VERIFIED %d records produced -> %d consumed, exactly once, in order per key%n", records, seen.size());
        return 0;
    }

    private String consume(ZkmqClient client, String queue, String member, Map<String, Integer> seen,
            Map<String, Integer> lastOrderOfKey, List<String> problems, AtomicLong consumed) {
        long mine = 0;
        java.util.Set<Integer> partitionsRead = new java.util.TreeSet<>();
        try (ZkmqConsumer consumer = client.consumer(queue, ConsumerOptions.builder().group("demo").memberId(member).build())) {
            long idleSince = System.nanoTime();
            while (consumed.get() < records && System.nanoTime() - idleSince < Duration.ofSeconds(30).toNanos()) {
                List<QueueRecord> batch = consumer.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    idleSince = System.nanoTime();
                }
                for (QueueRecord r : batch) {
                    partitionsRead.add(r.partition());
                    String v = r.valueAsString();
                    int order = Integer.parseInt(v.substring(9, v.indexOf(',')));
                    seen.merge(Integer.toString(order), 1, Integer::sum);
                    Integer last = lastOrderOfKey.put(r.keyAsString(), order);
                    if (last != null && last > order) {
                        problems.add("key " + r.keyAsString() + ": order " + order + " after " + last);
                    }
                }
                mine += batch.size();
                consumed.addAndGet(batch.size());
                consumer.commit();
            }
            // A partition can move between members (when one finishes first), each reading a disjoint range.
            return member + " read " + String.format("%,d", mine) + " records from partitions " + partitionsRead;
        }
    }

    private static void printQueue(QueueDescription d) {
        say("  %-10s %12s %12s %12s", "partition", "low", "head", "bytes");
        for (PartitionInfo p : d.partitions()) {
            say("  %-10d %12d %12d %12d", p.partition(), p.lowOffset(), p.headOffset(), p.bytes());
        }
    }

    private static void printGroup(List<GroupPartitionInfo> g) {
        say("  %-10s %12s %12s %8s  %s", "partition", "committed", "head", "lag", "owner");
        for (GroupPartitionInfo p : g) {
            say("  %-10d %12s %12d %8d  %s", p.partition(), p.committedOffset().isPresent() ? p.committedOffset().getAsLong() : "-",
                    p.headOffset(), p.lag(), p.owner().orElse("-"));
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
