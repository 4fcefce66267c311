package io.zkmq.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.zkmq.client.ZkmqClient;
import io.zkmq.coordination.FakeLeaseService;
import io.zkmq.error.ZkmqException;
import io.zkmq.testing.Deadline;
import io.zkmq.testing.ZooKeeperExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Flink split reader fails (and with it the task) on a background failure of its client. */
class ZkmqSplitReaderBackgroundErrorTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private final ZkmqClient client = ZK.client(ZooKeeperExtension.freshNamespace());
    private final ZkmqSourceReaderMetrics metrics =
            new ZkmqSourceReaderMetrics(UnregisteredMetricsGroup.createSourceReaderMetricGroup());
    private final PartitionLocks locks =
            new PartitionLocks(
                    new FakeLeaseService("g", "reader-0", Duration.ofMillis(300)),
                    client.admin()::resolvePosition,
                    metrics);
    private final ZkmqSplitReader reader =
            new ZkmqSplitReader(client, locks, ZkmqSplitReader.newProgressMap(), 2, false, metrics);

    @AfterEach
    void close() throws Exception {
        reader.close();
        locks.close();
    }

    @Test
    void fetchRaisesABackgroundCallbackThatThrew() throws Exception {
        client.curator()
                .checkExists()
                .inBackground(
                        (c, event) -> {
                            throw new IllegalStateException("injected: a callback that threw");
                        })
                .forPath("/");
        // The failure is recorded on Curator's event thread: fetch until it is raised.
        List<ZkmqException> raised = new ArrayList<>();
        Deadline.await(
                "fetch raises the background failure",
                Duration.ofSeconds(10),
                () -> {
                    try {
                        reader.fetch();
                        return false;
                    } catch (ZkmqException e) {
                        raised.add(e);
                        return true;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });

        assertThat(raised.get(0))
                .hasMessageContaining("failed in the background")
                .hasRootCauseMessage("injected: a callback that threw");
    }
}
