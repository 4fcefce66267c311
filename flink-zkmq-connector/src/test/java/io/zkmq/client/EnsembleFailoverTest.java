package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.testing.Deadline;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real 3-server ensemble whose leader is killed while producers and consumers run. */
class EnsembleFailoverTest {
    private TestingCluster cluster;

    @BeforeEach
    void startEnsemble() throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
    }

    @AfterEach
    void stopEnsemble() throws Exception {
        cluster.close();
    }

    @Test
    void killingTheLeaderLosesNoAcknowledgedRecordAndDuplicatesNothing() throws Exception {
        ZkmqClientOptions options =
                ZkmqClientOptions.builder(cluster.getConnectString())
                        .namespace("failover")
                        .sessionTimeout(Duration.ofSeconds(15))
                        .connectionTimeout(Duration.ofSeconds(10))
                        .build();
        try (ZkmqClient producerClient = ZkmqClient.connect(options);
                ZkmqClient consumerClient = ZkmqClient.connect(options)) {
            producerClient
                    .admin()
                    .createQueue(
                            "q",
                            QueueConfig.builder().partitions(3).maxBatchBytes(8 * 1024).build());
            ZkmqConsumer consumer =
                    consumerClient.consumer(
                            "q", ConsumerOptions.builder().group("g").memberId("c").build());
            Map<String, Integer> readCount = new ConcurrentHashMap<>();
            List<String> outOfOrder = new ArrayList<>();
            Map<Integer, Long> lastOffset = new HashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> reader =
                    CompletableFuture.runAsync(
                            () -> {
                                while (!stop.get()) {
                                    for (QueueRecord r : consumer.poll(Duration.ofMillis(100))) {
                                        readCount.merge(r.valueAsString(), 1, Integer::sum);
                                        Long last = lastOffset.put(r.partition(), r.offset());
                                        if (last != null && r.offset() != last + 1) {
                                            outOfOrder.add(
                                                    r.partition()
                                                            + "@"
                                                            + r.offset()
                                                            + " after "
                                                            + last);
                                        }
                                    }
                                }
                            });

            List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>();
            List<String> values = new ArrayList<>();
            try (ZkmqProducer producer =
                    producerClient.producer(
                            "q",
                            ProducerOptions.builder()
                                    .deliveryTimeout(Duration.ofSeconds(60))
                                    .build())) {
                for (int i = 0; i < 30_000; i++) {
                    if (i == 10_000) {
                        killLeader();
                    }
                    String v = "v" + i;
                    values.add(v);
                    acks.add(producer.send(Record.of("k" + (i % 50), v)));
                }
                producer.flush();
            }
            Set<String> acknowledged = new HashSet<>();
            for (int i = 0; i < acks.size(); i++) {
                if (!acks.get(i).isCompletedExceptionally()) {
                    acks.get(i).join();
                    acknowledged.add(values.get(i));
                }
            }
            assertThat(acknowledged).hasSize(30_000);
            Deadline.await(
                    "the consumer reads every acknowledged record",
                    Duration.ofSeconds(60),
                    () -> readCount.keySet().containsAll(acknowledged));
            stop.set(true);
            reader.join();
            assertThat(readCount.values()).as("no record read twice").containsOnly(1);
            assertThat(outOfOrder).isEmpty();
            assertThat(producerClient.admin().describeQueue("q").totalRecords()).isEqualTo(30_000);
            consumer.close();
        }
    }

    private void killLeader() throws Exception {
        for (InstanceSpec spec : cluster.getInstances()) {
            if (mode(spec.getPort()).contains("leader")) {
                assertThat(cluster.killServer(spec)).isTrue();
                return;
            }
        }
        throw new AssertionError("No leader found in the ensemble");
    }

    /** The server's role, from the 'srvr' four-letter command (whitelisted by default). */
    private static String mode(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("Mode:")) {
                    return line;
                }
            }
        }
        return "";
    }
}
