package io.zkmq.sink.committer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.QueueConfig;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.sink.Transactions;
import io.zkmq.sink.ZkmqRecordSerializationSchema;
import io.zkmq.sink.ZkmqSink;
import io.zkmq.testing.ZooKeeperExtension;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The committer against a real ZooKeeper: commits once, recognises repeats, fails loudly on aborts.
 */
class ZkmqCommitterTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private String namespace;
    private ZkmqClient client;

    @BeforeEach
    void setUp() {
        namespace = ZooKeeperExtension.freshNamespace();
        client = ZK.client(namespace);
        client.admin().createQueue("out", QueueConfig.builder().partitions(1).build());
    }

    private ZkmqCommitter committer() {
        ZkmqSink<String> sink =
                ZkmqSink.<String>builder()
                        .setZookeeper(ZK.connectString())
                        .setNamespace(namespace)
                        .setQueue("out")
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix("c")
                        .setRecordSerializer(
                                ZkmqRecordSerializationSchema.<String>builder()
                                        .setValueSerializationSchema(String::getBytes)
                                        .build())
                        .build();
        return new ZkmqCommitter(sink.config());
    }

    private static ZkmqCommittable committable(TransactionMarker m, String txn) {
        return new ZkmqCommittable("out", 0, txn, m.attempt(), m.records(), m.bytes());
    }

    @Test
    void committingTheSameCommittableTwiceAppendsItOnceAndReportsTheRepeat() throws Exception {
        TransactionMarker marker = Transactions.stage(client, "out", 0, "c-0-1", "v", 20);
        Request first = new Request(committable(marker, "c-0-1"));
        Request again = new Request(committable(marker, "c-0-1"));
        try (ZkmqCommitter committer = committer()) {
            committer.commit(List.of(first));
            assertThat(client.admin().readHead("out", 0).nextOffset())
                    .as("visible after the first commit")
                    .isEqualTo(20);
            committer.commit(List.of(again));
        }

        assertThat(first.outcome).isEqualTo("no signal");
        assertThat(again.outcome).isEqualTo("already committed");
        assertThat(client.admin().readHead("out", 0).nextOffset()).isEqualTo(20);
    }

    @Test
    void anAbortedTransactionFailsTheCommitNamingItAndSayingTheRecordsAreMissing() {
        TransactionMarker marker = Transactions.stage(client, "out", 0, "c-0-2", "v", 5);
        client.transactions().abort("out", 0, "c-0-2");
        Request request = new Request(committable(marker, "c-0-2"));

        try (ZkmqCommitter committer = committer()) {
            assertThatThrownBy(() -> committer.commit(List.of(request)))
                    .hasMessageContaining("c-0-2")
                    .hasStackTraceContaining("NOT in the queue");
        }
        assertThat(request.outcome).isEqualTo("failed");
    }

    /** A commit request that records what the committer signalled, as Flink's own request does. */
    private static final class Request implements Committer.CommitRequest<ZkmqCommittable> {
        private final ZkmqCommittable committable;

        /** Flink's committer API signals nothing on success. */
        String outcome = "no signal";

        Request(ZkmqCommittable committable) {
            this.committable = committable;
        }

        @Override
        public ZkmqCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            outcome = "failed (known)";
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            outcome = "failed";
            throw new IllegalStateException("Failed to commit " + committable, t);
        }

        @Override
        public void retryLater() {
            outcome = "retry";
        }

        @Override
        public void updateAndRetryLater(ZkmqCommittable committable) {
            outcome = "retry";
        }

        @Override
        public void signalAlreadyCommitted() {
            outcome = "already committed";
        }
    }
}
