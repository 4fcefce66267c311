package io.zkmq.examples;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.embedded.EmbeddedZooKeeper;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main demo. Starts an embedded ZooKeeper (unless {@code --zookeeper}), writes a known set of
 * purchase events to an input queue, runs the exactly-once {@link QueueToQueue} pipeline over them
 * on a local Flink mini cluster with a failure injected partway, reads the output queue back and
 * checks that every event produced exactly one running-total record, in order per customer. Ends
 * with {@code VERIFIED <n> input records -> <m> output records, exactly once}, or a {@code FAILED}
 * line and exit code 1.
 */
@Command(
        name = "zkmq-demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description =
                "Runs an exactly-once Flink pipeline between two ZKMQ queues through an injected failure and"
                        + " verifies the output.")
public final class ExactlyOnceDemo {
    @Mixin JobParameters.Connection connection = new JobParameters.Connection();

    @Mixin JobParameters.Flink flink = new JobParameters.Flink();

    @Option(
            names = "--records",
            paramLabel = "N",
            defaultValue = "200000",
            description = "Input events (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(
            names = "--customers",
            paramLabel = "N",
            defaultValue = "500",
            description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "4",
            description = "Partitions of the input and output queues (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--rate",
            paramLabel = "PER_SECOND",
            defaultValue = "10000",
            description =
                    "Pace of the pipeline, so that progress and recovery can be watched; 0 for as fast as possible"
                            + " (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--no-failure", description = "Do not inject the failure.")
    boolean noFailure;

    public static void main(String[] args) {
        ExactlyOnceDemo demo = JobParameters.parseOrExit(new ExactlyOnceDemo(), args);
        System.exit(demo.run() ? 0 : 1);
    }

    /** Runs the demo; true if the output verified. */
    boolean run() {
        long started = System.nanoTime();
        EmbeddedZooKeeper embedded = null;
        try {
            String connect = connection.zookeeper;
            if (connect == null) {
                embedded = EmbeddedZooKeeper.startTemporary();
                connect = embedded.connectString();
                say("Started an embedded ZooKeeper at %s", connect);
            }
            String run = UUID.randomUUID().toString().substring(0, 8);
            String input = "purchases-" + run;
            String output = "totals-" + run;
            try (ZkmqClient client =
                    ZkmqClient.connect(
                            ZkmqClientOptions.builder(connect)
                                    .namespace(connection.namespace)
                                    .build())) {
                client.admin()
                        .createQueue(input, QueueConfig.builder().partitions(partitions).build());
                client.admin()
                        .createQueue(output, QueueConfig.builder().partitions(partitions).build());
                say("Created queues %s and %s (%d partitions each)", input, output, partitions);
                produce(client, input);

                QueueToQueue job = new QueueToQueue();
                job.connection.zookeeper = connect;
                job.connection.namespace = connection.namespace;
                job.flink.parallelism = flink.parallelism;
                job.flink.checkpointInterval = flink.checkpointInterval;
                job.inputQueue = input;
                job.outputQueue = output;
                job.group = "demo-" + run;
                job.start = "earliest";
                job.bounded = true;
                job.guarantee = org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE;
                job.rate = rate;
                job.failAfter =
                        noFailure ? 0 : Math.max(1, records * 2L / (5L * flink.parallelism));
                say(
                        "Running QueueToQueue (exactly-once, parallelism %d, checkpoints every %d ms%s)%s",
                        flink.parallelism,
                        flink.checkpointInterval.toMillis(),
                        rate > 0 ? String.format(", %,.0f events/s", rate) : "",
                        noFailure ? "" : "; a failure is injected after about 40% of the events");
                JobExecutionResult result = runJob(job, client, output);
                say("Job finished in %.1f s", result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0);
                return verify(client, output, started);
            }
        } catch (Exception e) {
            System.out.println("FAILED " + e);
            return false;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private void produce(ZkmqClient client, String queue) {
        try (ZkmqProducer producer = client.producer(queue)) {
            for (long i = 0; i < records; i++) {
                String text = Event.generate(i, customers).text();
                producer.send(
                        new Record(
                                GenerateToQueue.customerKey(text),
                                text.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                List.of(),
                                System.currentTimeMillis()));
            }
            producer.flush();
        }
        say("Wrote %,d purchase events of %d customers to %s", records, customers, queue);
    }

    private JobExecutionResult runJob(QueueToQueue job, ZkmqClient client, String output)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        flink.parallelism, job.restarts());
        job.addTo(env);
        ScheduledExecutorService progress =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "demo-progress");
                            t.setDaemon(true);
                            return t;
                        });
        progress.scheduleAtFixedRate(
                () -> {
                    try {
                        say(
                                "  ... %,d of %,d output records committed",
                                committed(client, output), records);
                    } catch (RuntimeException e) {
                        // progress is best effort
                    }
                },
                1,
                1,
                TimeUnit.SECONDS);
        try {
            return env.execute("zkmq demo: QueueToQueue");
        } finally {
            progress.shutdownNow();
        }
    }

    private long committed(ZkmqClient client, String queue) {
        long sum = 0;
        for (int p = 0; p < partitions; p++) {
            sum += client.admin().readHead(queue, p).nextOffset();
        }
        return sum;
    }

    /** Reads the whole output and checks exactly once and per-customer order. */
    private boolean verify(ZkmqClient client, String output, long started) {
        long expected = committed(client, output);
        Map<Integer, StartingPosition> all = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            all.put(p, StartingPosition.earliest());
        }
        List<String> problems = new ArrayList<>();
        Map<String, Long> lastCount = new HashMap<>();
        Map<String, Long> total = new HashMap<>();
        long read = 0;
        try (ZkmqConsumer consumer = client.consumer(output, ConsumerOptions.builder().build())) {
            consumer.assign(all);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read < expected && System.nanoTime() < deadline) {
                for (QueueRecord r : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    String[] f = r.valueAsString().split(",");
                    String customer = f[0];
                    long seq = Long.parseLong(f[1]);
                    long amount = Long.parseLong(f[2]);
                    long count = Long.parseLong(f[3]);
                    long sum = Long.parseLong(f[4]);
                    long previous = lastCount.getOrDefault(customer, 0L);
                    long expectedTotal = total.getOrDefault(customer, 0L) + amount;
                    if (count != previous + 1 || seq != previous || sum != expectedTotal) {
                        if (problems.size() < 5) {
                            problems.add(
                                    String.format(
                                            "%s: got purchase %d as number %d (total %d) after number %d (total %d)",
                                            customer,
                                            seq,
                                            count,
                                            sum,
                                            previous,
                                            total.getOrDefault(customer, 0L)));
                        }
                    }
                    lastCount.put(customer, count);
                    total.put(customer, sum);
                }
            }
        }
        long purchasesPerCustomerSum = lastCount.values().stream().mapToLong(Long::longValue).sum();
        if (read != records || purchasesPerCustomerSum != records) {
            problems.add(
                    0,
                    "expected "
                            + records
                            + " output records (one per input event), read "
                            + read
                            + " (committed "
                            + expected
                            + ")");
        }
        say(
                "Read back %,d output records of %,d customers in %.1f s total",
                read, lastCount.size(), (System.nanoTime() - started) / 1e9);
        if (!problems.isEmpty()) {
            System.out.println(
                    "FAILED "
                            + records
                            + " input records -> "
                            + read
                            + " output records: "
                            + String.join("; ", problems));
            return false;
        }
        System.out.println(
                "VERIFIED "
                        + records
                        + " input records -> "
                        + read
                        + " output records, exactly once");
        return true;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
