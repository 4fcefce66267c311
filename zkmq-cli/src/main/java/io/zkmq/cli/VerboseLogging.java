package io.zkmq.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.ParseResult;

/**
 * {@code --verbose}: besides stack traces of errors, shows what the quiet default logging of the
 * jar ({@code log4j2.properties}) leaves out: the client's own progress and background errors, and
 * ZooKeeper's and Curator's warnings.
 */
final class VerboseLogging {
    private VerboseLogging() {}

    static boolean requested(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    static void enable() {
        Configurator.setLevel("io.zkmq", Level.INFO);
        Configurator.setLevel("org.apache.curator", Level.WARN);
        Configurator.setLevel("org.apache.curator.framework.imps.CuratorFrameworkImpl", Level.WARN);
        Configurator.setLevel("org.apache.zookeeper", Level.WARN);
        Configurator.setLevel("org.apache.zookeeper.client.StaticHostProvider", Level.WARN);
    }
}
