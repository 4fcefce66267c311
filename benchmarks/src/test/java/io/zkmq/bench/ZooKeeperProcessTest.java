package io.zkmq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;

class ZooKeeperProcessTest {

    @Test
    void servesOnLoopbackAndRemovesItsDataWhenClosed() throws Exception {
        Path dataDirectory;
        try (ZooKeeperProcess server = ZooKeeperProcess.start()) {
            dataDirectory = server.dataDirectory();
            assertThat(server.connectString()).startsWith("127.0.0.1:");
            ScenarioContext context =
                    new ScenarioContext(server.connectString(), Duration.ofSeconds(1), 100, 100);
            try (CuratorFramework client = context.connect()) {
                client.create().forPath("/written", new byte[] {42});
                assertThat(client.getData().forPath("/written")).containsExactly(42);
            }
        }
        assertThat(dataDirectory).doesNotExist();
        assertThat(dataDirectory.getParent()).doesNotExist();
    }
}
