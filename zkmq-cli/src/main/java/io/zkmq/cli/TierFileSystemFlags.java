package io.zkmq.cli;

import io.zkmq.client.ZkmqClientOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Turns the global flags {@code --tier-config-file}, {@code --tier-config} and {@code
 * --flink-plugins-dir} into the client's tier file-system settings: the file first, then each
 * {@code --tier-config KEY=VALUE} on top. Values are never echoed: they may be secrets.
 */
final class TierFileSystemFlags {
    static final String PLUGINS_ENV = "FLINK_PLUGINS_DIR";

    private TierFileSystemFlags() {}

    static void applyTo(
            ZkmqClientOptions.Builder builder,
            Path configFile,
            Map<String, String> config,
            Path pluginsDir,
            CommandSpec command) {
        Map<String, String> merged = new TreeMap<>();
        if (configFile != null) {
            merged.putAll(read(configFile, command));
        }
        if (config != null) {
            merged.putAll(config);
        }
        builder.tierConfig(merged);
        if (pluginsDir != null) {
            if (!Files.isDirectory(pluginsDir)) {
                throw new ParameterException(
                        command.commandLine(),
                        "Flink plugins directory "
                                + pluginsDir
                                + " (from --flink-plugins-dir or "
                                + PLUGINS_ENV
                                + ") does not exist or is not a directory; it holds one"
                                + " sub-directory per plugin, e.g. plugins/s3-fs-hadoop of a Flink"
                                + " distribution");
            }
            builder.flinkPluginsDir(pluginsDir);
        }
    }

    private static Map<String, String> read(Path file, CommandSpec command) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ParameterException(
                    command.commandLine(),
                    "Cannot read --tier-config-file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new TreeMap<>();
        properties.forEach((k, v) -> out.put(k.toString().trim(), v.toString().trim()));
        return out;
    }
}
