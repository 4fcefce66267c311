package io.zkmq.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.apache.zookeeper.client.ConnectStringParser;

/**
 * Reads one figure of ZooKeeper's {@code mntr} four-letter command from the first server of a
 * connect string. The server must allow {@code mntr} ({@code 4lw.commands.whitelist}); the
 * benchmark's own server does.
 */
final class ZooKeeperStats {
    private static final int TIMEOUT_MS = 10_000;

    private final InetSocketAddress server;

    ZooKeeperStats(String connectString) {
        // The parser leaves addresses unresolved.
        InetSocketAddress first =
                new ConnectStringParser(connectString).getServerAddresses().get(0);
        this.server = new InetSocketAddress(first.getHostString(), first.getPort());
    }

    /** {@code zk_approximate_data_size}: the bytes of znode data and paths ZooKeeper holds. */
    long approximateDataSize() throws IOException {
        return figure("zk_approximate_data_size");
    }

    private long figure(String name) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write("mntr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII));
            StringBuilder all = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] parts = line.split("\t");
                if (parts.length == 2 && parts[0].equals(name)) {
                    return Long.parseLong(parts[1].trim());
                }
                all.append(line).append('\n');
            }
            throw new IOException(
                    "ZooKeeper at "
                            + server
                            + " did not report "
                            + name
                            + " in 'mntr' (is mntr in 4lw.commands.whitelist?): "
                            + all.toString().trim());
        }
    }
}
