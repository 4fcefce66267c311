package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.ZkmqException;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.StartingPosition;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Curator's unhandled background errors reach the client's owners: a background callback that threw
 * fails the producer and the consumer, while a real outage, which Curator reports the same way,
 * fails nothing. Against a real ZooKeeper server of its own (the second test restarts it).
 */
class BackgroundErrorRoutingTest {
    private static final String INJECTED = "injected: a background callback that threw";

    private TestingServer server;
    private ZkmqClient client;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(InstanceSpec.getRandomPort(), true);
        client =
                ZkmqClient.connect(
                        ZkmqClientOptions.builder(server.getConnectString())
                                .namespace(ZooKeeperExtension.freshNamespace())
                                .sessionTimeout(Duration.ofSeconds(20))
                                .connectionTimeout(Duration.ofSeconds(2))
                                .build());
        client.admin().createQueue("q", QueueConfig.builder().partitions(1).build());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    /** A real background operation whose callback throws: Curator reports it as unhandled. */
    private void throwFromABackgroundCallback() throws Exception {
        client.curator()
                .checkExists()
                .inBackground(
                        (c, event) -> {
                            throw new IllegalStateException(INJECTED);
                        })
                .forPath("/");
    }

    @Test
    void aBackgroundCallbackThatThrowsFailsPendingAndLaterSendsAndTheConsumersPoll()
            throws Exception {
        ProducerOptions lingering =
                ProducerOptions.builder()
                        .linger(Duration.ofSeconds(60))
                        .deliveryTimeout(Duration.ofSeconds(120))
                        .build();
        try (ZkmqProducer producer = client.producer("q", lingering);
                ZkmqConsumer consumer = client.consumer("q", ConsumerOptions.builder().build())) {
            consumer.assignAll(StartingPosition.earliest());
            CompletableFuture<RecordMetadata> pending = producer.send(0, Record.of("k", "v"));
            CompletableFuture<List<QueueRecord>> blockedPoll =
                    CompletableFuture.supplyAsync(() -> consumer.poll(Duration.ofSeconds(60)));

            throwFromABackgroundCallback();

            Deadline.await("the pending send fails", Duration.ofSeconds(10), pending::isDone);
            assertThatThrownBy(pending::join)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(ZkmqException.class)
                    .hasMessageContaining("failed in the background")
                    .hasMessageContaining(server.getConnectString())
                    .hasRootCauseMessage(INJECTED);
            Deadline.await("the blocked poll ends", Duration.ofSeconds(10), blockedPoll::isDone);
            assertThatThrownBy(blockedPoll::join)
                    .cause()
                    .isInstanceOf(ZkmqException.class)
                    .hasRootCauseMessage(INJECTED);
            assertThatThrownBy(() -> producer.send(0, Record.of("k", "later")))
                    .isInstanceOf(ZkmqException.class)
                    .hasMessageContaining("failed in the background")
                    .hasRootCauseMessage(INJECTED);
            assertThatThrownBy(() -> consumer.poll(Duration.ofMillis(100)))
                    .isInstanceOf(ZkmqException.class)
                    .hasRootCauseMessage(INJECTED);
        }
    }

    @Test
    void aZooKeeperErrorThatCuratorAlsoHandsToItsOperationFailsNothingElse() throws Exception {
        List<String> reported = new CopyOnWriteArrayList<>();
        client.curator()
                .getUnhandledErrorListenable()
                .addListener((message, e) -> reported.add(message + ": " + e));
        client.curator().create().withACL(ZooDefs.Ids.READ_ACL_UNSAFE).forPath("/read-only");
        CompletableFuture<Integer> resultCode = new CompletableFuture<>();

        // Creating the missing parent under a read-only znode throws inside the background
        // operation: Curator reports NoAuth as unhandled and hands it to the callback as well.
        client.curator()
                .create()
                .creatingParentsIfNeeded()
                .inBackground((c, event) -> resultCode.complete(event.getResultCode()))
                .forPath("/read-only/a/b");

        assertThat(resultCode.get(30, TimeUnit.SECONDS))
                .isEqualTo(KeeperException.Code.NOAUTH.intValue());
        Deadline.await(
                "Curator reports the NoAuth as unhandled",
                Duration.ofSeconds(30),
                () -> !reported.isEmpty());
        try (ZkmqProducer producer = client.producer("q")) {
            producer.send(0, Record.of("k", "v")).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerRestartThatCuratorReportsAsUnhandledFailsNothing() throws Exception {
        List<String> reported = new CopyOnWriteArrayList<>();
        client.curator()
                .getUnhandledErrorListenable()
                .addListener((message, e) -> reported.add(message + ": " + e));
        try (ZkmqProducer producer = client.producer("q");
                ZkmqConsumer consumer = client.consumer("q", ConsumerOptions.builder().build())) {
            consumer.assignAll(StartingPosition.earliest());
            producer.send(0, Record.of("k", "before")).get(30, TimeUnit.SECONDS);

            server.stop();
            // A real background operation during the outage: Curator gives up on it after the
            // connection timeout and its retries, and reports the connection loss as unhandled.
            client.curator().checkExists().inBackground().forPath("/");
            Deadline.await(
                    "Curator reports the outage as an unhandled error",
                    Duration.ofSeconds(60),
                    () -> !reported.isEmpty());
            server.restart();

            producer.send(0, Record.of("k", "after")).get(60, TimeUnit.SECONDS);
            List<String> values = new ArrayList<>();
            Deadline.await(
                    "both records are read after the restart",
                    Duration.ofSeconds(60),
                    () -> {
                        consumer.poll(Duration.ofMillis(200))
                                .forEach(r -> values.add(r.valueAsString()));
                        return values.size() >= 2;
                    });
            assertThat(values).containsExactly("before", "after");
        }
        assertThat(reported).as("what Curator reported").isNotEmpty();
    }
}
