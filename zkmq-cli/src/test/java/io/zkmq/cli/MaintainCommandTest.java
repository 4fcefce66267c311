package io.zkmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ProducerOptions;
import io.zkmq.client.ZkmqClient;
import io.zkmq.client.ZkmqClientOptions;
import io.zkmq.client.ZkmqProducer;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.Record;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MaintainCommandTest {
    @RegisterExtension static final TestZooKeeper ZK = new TestZooKeeper();

    @Test
    void maintainOnceTrimsAQueueThatNoClientMaintains() throws Exception {
        TestZooKeeper zk = ZK;
        {
            String ns = "retention-test";
            try (ZkmqClient client =
                    ZkmqClient.connect(
                            ZkmqClientOptions.builder(zk.connectString()).namespace(ns).build())) {
                client.admin()
                        .createQueue(
                                "q",
                                QueueConfig.builder()
                                        .maxBatchBytes(4096)
                                        .segmentBatches(5)
                                        .retentionBytes(16 * 1024)
                                        .build());
                try (ZkmqProducer producer =
                        client.producer(
                                "q",
                                ProducerOptions.builder()
                                        .joinMaintenance(false)
                                        .linger(Duration.ZERO)
                                        .build())) {
                    for (int i = 0; i < 5_000; i++) {
                        producer.send(Record.of(null, new byte[50]));
                    }
                    producer.flush();
                }
                assertThat(client.admin().describeQueue("q").partitions().get(0).lowOffset())
                        .isZero();

                Cli.Result r =
                        Cli.against(zk.connectString(), ns)
                                .run("maintain", "--queue", "q", "--once");
                assertThat(r.exitCode()).as(r.err()).isZero();
                assertThat(r.out()).containsPattern("Queue q: trimmed [1-9][0-9]* segment\\(s\\)");
                var partition = client.admin().describeQueue("q").partitions().get(0);
                assertThat(partition.lowOffset()).isPositive();
                assertThat(partition.bytes()).isLessThanOrEqualTo(16 * 1024 + 5 * 4096);

                Cli.Result missing =
                        Cli.against(zk.connectString(), ns)
                                .run("maintain", "--queue", "nope", "--once");
                assertThat(missing.exitCode()).isEqualTo(1);
                assertThat(missing.err()).contains("zkmq: error:").contains("'nope'");
            }
        }
    }
}
