package io.zkmq.tier;

import io.zkmq.error.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up Flink's file systems for a process that is not a Flink job (the plain client, the CLI):
 * Flink configuration keys such as {@code s3.endpoint} and an optional plugins directory, applied
 * with {@link FileSystem#initialize(Configuration, PluginManager)}.
 *
 * <p>Flink's file systems are process-wide, so this is applied once per process. Nothing given
 * means nothing done: inside a Flink job the TaskManager has already initialized them from its own
 * configuration and plugins, and re-initializing would throw that away. A second, different
 * configuration is refused rather than silently replacing the first under clients that use it.
 * Values of sensitive keys (Flink's {@link GlobalConfiguration#isSensitive}) are never logged or
 * put in a message.
 */
@Internal
public final class TierFileSystems {
    private static final Logger LOG = LoggerFactory.getLogger(TierFileSystems.class);

    /** What this process applied; null until something was. Guarded by the class. */
    private static Settings applied;

    private TierFileSystems() {}

    /** The file-system settings of one process: Flink keys and an optional plugins directory. */
    public record Settings(Map<String, String> config, Optional<Path> pluginsDir) {
        public Settings {
            config = Map.copyOf(new TreeMap<>(config));
            pluginsDir = pluginsDir.map(p -> p.toAbsolutePath().normalize());
        }

        public boolean isEmpty() {
            return config.isEmpty() && pluginsDir.isEmpty();
        }

        /** Keys and plugins directory, with the values of sensitive keys hidden. */
        @Override
        public String toString() {
            Map<String, String> shown = new TreeMap<>();
            config.forEach((k, v) -> shown.put(k, redact(k, v)));
            return "config " + shown + pluginsDir.map(p -> ", plugins " + p).orElse("");
        }
    }

    /**
     * Initializes Flink's file systems with {@code settings} unless they are empty or this process
     * already applied the same ones.
     *
     * @throws InvalidConfigException if this process already applied different settings, or the
     *     plugins directory cannot be read
     */
    public static synchronized void apply(Settings settings) {
        if (settings.isEmpty() || settings.equals(applied)) {
            return;
        }
        if (applied != null) {
            throw new InvalidConfigException(
                    "Flink's file systems are process-wide and were already configured in this"
                            + " process with different tier settings (differing: "
                            + differences(applied, settings)
                            + "); give every client of a process the same tierConfig and"
                            + " flinkPluginsDir");
        }
        Configuration flinkConfig = Configuration.fromMap(settings.config());
        FileSystem.initialize(flinkConfig, pluginManager(settings.pluginsDir(), flinkConfig));
        applied = settings;
        LOG.info("Initialized Flink's file systems for tiered storage: {}", settings);
    }

    /** Forgets what was applied, so that a test can apply other settings in the same JVM. */
    @VisibleForTesting
    public static synchronized void resetForTesting() {
        applied = null;
    }

    private static PluginManager pluginManager(Optional<Path> dir, Configuration flinkConfig) {
        if (dir.isEmpty()) {
            return null; // file systems on the class path only
        }
        Path root = dir.get();
        if (!Files.isDirectory(root)) {
            throw new InvalidConfigException(
                    "Flink plugins directory "
                            + root
                            + " does not exist or is not a directory (expected one sub-directory per"
                            + " plugin, e.g. "
                            + root.resolve("s3-fs-hadoop")
                            + ")");
        }
        try {
            // As Flink's PluginUtils does for its own plugins directory: one class loader per
            // plugin, Flink's own classes from the parent.
            return new DefaultPluginManager(
                    new DirectoryBasedPluginFinder(root).findPlugins(),
                    CoreOptions.getPluginParentFirstLoaderPatterns(flinkConfig));
        } catch (IOException e) {
            throw new InvalidConfigException(
                    "Cannot read the Flink plugins in " + root + ": " + e.getMessage(), e);
        }
    }

    private static String differences(Settings was, Settings now) {
        Set<String> keys = new TreeSet<>(was.config().keySet());
        keys.addAll(now.config().keySet());
        keys.removeIf(k -> Objects.equals(was.config().get(k), now.config().get(k)));
        StringBuilder out = new StringBuilder("keys ").append(keys);
        if (!was.pluginsDir().equals(now.pluginsDir())) {
            out.append(", plugins directory ")
                    .append(was.pluginsDir().map(Path::toString).orElse("(none)"))
                    .append(" vs ")
                    .append(now.pluginsDir().map(Path::toString).orElse("(none)"));
        }
        return out.toString();
    }

    /** {@code value}, or Flink's placeholder if {@code key} holds a secret. */
    public static String redact(String key, String value) {
        return GlobalConfiguration.isSensitive(key) ? GlobalConfiguration.HIDDEN_CONTENT : value;
    }
}
