package io.zkmq.cli;

import io.zkmq.error.InvalidConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Digest credentials from the file {@code $ZKMQ_AUTH_FILE} names, so they appear neither on the
 * command line (visible in {@code ps}) nor in the environment. Errors name the file, never its
 * content.
 */
final class AuthFile {
    static final String VARIABLE = "ZKMQ_AUTH_FILE";

    private AuthFile() {}

    /** The first non-blank line of the file, or null when the variable is not set. */
    static String fromEnvironment() {
        String file = System.getenv(VARIABLE);
        if (file == null || file.isBlank()) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidConfigException(
                    "Cannot read the credentials file " + file + " ($" + VARIABLE + "): " + e);
        }
        return lines.stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .findFirst()
                .orElseThrow(
                        () ->
                                new InvalidConfigException(
                                        "The credentials file "
                                                + file
                                                + " ($"
                                                + VARIABLE
                                                + ") is empty; write USER:PASSWORD on its first line"));
    }
}
