package io.zkmq.examples;

import io.zkmq.client.ConsumerOptions;
import io.zkmq.client.RecordMetadata;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqConsumer;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.embedded.EmbeddedZooKeeper;
import io.zkmq.error.QueueExistsException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Hello world with the plain client: connect, create a queue, send a message, receive it. Starts an
 * embedded ZooKeeper unless {@code --zookeeper} is given.
 */
@Command(
        name = "HelloZkmq",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Sends one message through a ZKMQ queue and receives it.")
public final class HelloZkmq {
    @Mixin JobParameters.Connection connection = new JobParameters.Connection();

    @Option(
            names = "--queue",
            paramLabel = "NAME",
            defaultValue = "hello",
            description = "Queue (default: ${DEFAULT-VALUE}).")
    String queue;

    @Option(
            names = "--message",
            paramLabel = "TEXT",
            defaultValue = "Hello, ZKMQ!",
            description = "What to send (default: ${DEFAULT-VALUE}).")
    String message;

    public static void main(String[] args) {
        HelloZkmq hello = JobParameters.parseOrExit(new HelloZkmq(), args);
        List<String> received = hello.run();
        System.exit(received.contains(hello.message) ? 0 : 1);
    }

    /** Sends the message and returns what the consumer received. */
    List<String> run() {
        EmbeddedZooKeeper embedded =
                connection.zookeeper == null ? EmbeddedZooKeeper.startTemporary() : null;
        String connect = embedded != null ? embedded.connectString() : connection.zookeeper;
        try (ZkmqClient client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(connect)
                                .namespace(connection.namespace)
                                .build())) {
            System.out.println(
                    "Connected to ZooKeeper at "
                            + connect
                            + (embedded != null ? " (embedded)" : ""));
            try {
                client.admin().createQueue(queue, QueueConfig.builder().partitions(1).build());
                System.out.println("Created queue '" + queue + "'");
            } catch (QueueExistsException e) {
                System.out.println("Queue '" + queue + "' exists");
            }
            try (ZkmqProducer producer = client.producer(queue)) {
                RecordMetadata sent =
                        producer.send(Record.of("greeting", message))
                                .join(); // acknowledged = durable
                System.out.println(
                        "Sent    '"
                                + message
                                + "' -> partition "
                                + sent.partition()
                                + ", offset "
                                + sent.offset());
            }
            List<String> received = new ArrayList<>();
            try (ZkmqConsumer consumer =
                    client.consumer(
                            queue, ConsumerOptions.builder().group("hello-readers").build())) {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!received.contains(message) && System.nanoTime() < deadline) {
                    for (QueueRecord r : consumer.poll(Duration.ofMillis(500))) {
                        received.add(r.valueAsString());
                        System.out.println(
                                "Received '"
                                        + r.valueAsString()
                                        + "' <- partition "
                                        + r.partition()
                                        + ", offset "
                                        + r.offset()
                                        + ", key "
                                        + r.keyAsString());
                    }
                }
                consumer.commit();
            }
            if (!received.contains(message)) {
                System.out.println("FAILED: the message did not arrive within 30 s");
            }
            return received;
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
