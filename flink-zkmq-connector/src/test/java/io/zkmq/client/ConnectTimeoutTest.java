package io.zkmq.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import io.zkmq.error.InvalidConfigException;
import io.zkmq.error.ZooKeeperUnavailableException;
import io.zkmq.testing.ZooKeeperExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectTimeoutTest {
    @RegisterExtension static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    @Test
    void aServerThatIsNotZooKeeperFailsWithinTheConnectionTimeout() throws Exception {
        HttpServer http =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.start();
        try {
            String connect = "127.0.0.1:" + http.getAddress().getPort();
            long start = System.nanoTime();

            assertThatThrownBy(
                            () ->
                                    ZkmqClient.connect(
                                            ZkmqClientOptions.builder(connect)
                                                    .connectionTimeout(Duration.ofSeconds(3))
                                                    .build()))
                    .isInstanceOf(ZooKeeperUnavailableException.class)
                    .hasMessageContaining("'" + connect + "'")
                    .hasMessageContaining("within 3000 ms");

            // Closing the half-open ZooKeeper handle alone used to take the 30 s session timeout.
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("3 s timeout plus a margin")
                    .isLessThan(Duration.ofSeconds(8));
        } finally {
            http.stop(0);
        }
    }

    @Test
    void theLongestAllowedTimeoutsAreUpperBoundsAndConnectAtOnce() {
        ZkmqClientOptions options =
                ZkmqClientOptions.builder(ZK.connectString())
                        .namespace(ZooKeeperExtension.freshNamespace())
                        .sessionTimeout(Duration.ofDays(6))
                        .connectionTimeout(Duration.ofDays(24))
                        .build();

        try (ZkmqClient client =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(15), () -> ZkmqClient.connect(options))) {
            assertThat(client.admin().listQueues()).isEmpty();
        }
    }

    @Test
    void timeoutsZooKeeperCannotCountAreRejectedNamingTheMaximum() {
        assertThatThrownBy(
                        () ->
                                ZkmqClientOptions.builder("zk:2181")
                                        .connectionTimeout(Duration.ofDays(25)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("connectionTimeout must be at most 2073600000 ms (PT576H")
                .hasMessageContaining("got PT600H");
        assertThatThrownBy(
                        () ->
                                ZkmqClientOptions.builder("zk:2181")
                                        .sessionTimeout(Duration.ofDays(7)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("sessionTimeout must be at most 518400000 ms (PT144H")
                .hasMessageContaining("got PT168H");
        assertThatThrownBy(() -> ZkmqClientOptions.builder("zk:2181").retry(Duration.ofDays(25), 3))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("retry base sleep must be at most 5000 ms");
    }
}
