package io.zkmq.cli;

import io.zkmq.error.ZooKeeperUnavailableException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.client.ConnectStringParser;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Checks {@code --zookeeper} before connecting, so a typo is one line naming it rather than
 * ZooKeeper's and Curator's stack traces and a wait for the connect timeout: a malformed string is
 * a usage error, a host that does not resolve (none of them) a failure. It parses with ZooKeeper's
 * own {@link ConnectStringParser}, so it accepts exactly what the client will.
 */
final class ConnectString {
    private ConnectString() {}

    static void check(CommandLine command, String connectString, PrintWriter err) {
        List<InetSocketAddress> servers = parse(command, connectString);
        List<String> unresolved = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            try {
                InetAddress.getAllByName(server.getHostString());
            } catch (UnknownHostException e) {
                unresolved.add(server.getHostString());
            }
        }
        if (unresolved.size() == servers.size()) {
            throw new ZooKeeperUnavailableException(
                    "Cannot resolve the ZooKeeper host"
                            + (unresolved.size() == 1 ? " '" : "s '")
                            + String.join("', '", unresolved)
                            + "' of --zookeeper "
                            + connectString
                            + " (unknown host); check the name and DNS");
        }
        if (!unresolved.isEmpty()) {
            err.println(
                    "zkmq: warning: cannot resolve ZooKeeper host '"
                            + String.join("', '", unresolved)
                            + "'; connecting to the others");
            err.flush();
        }
    }

    private static List<InetSocketAddress> parse(CommandLine command, String connectString) {
        String problem;
        try {
            List<InetSocketAddress> servers =
                    new ConnectStringParser(connectString).getServerAddresses();
            problem = servers.isEmpty() ? "no server given" : null;
            for (InetSocketAddress s : servers) {
                if (s.getHostString().isEmpty()) {
                    problem = "a server without a host";
                }
            }
            if (problem == null) {
                return servers;
            }
        } catch (NumberFormatException e) {
            problem = "a port is not a number";
        } catch (IllegalArgumentException e) {
            problem = e.getMessage().replace("port out of range:", "port out of range: ");
        }
        throw new ParameterException(
                command,
                "Invalid value for option '--zookeeper': '"
                        + connectString
                        + "' is not a ZooKeeper connect string ("
                        + problem
                        + "); use HOST:PORT[,HOST:PORT...], e.g. localhost:2181");
    }
}
