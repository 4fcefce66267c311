package io.zkmq.bench;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class path for a child JVM that must see the same classes as this one.
 *
 * <p>Run as {@code java -jar} or {@code java -cp}, that is {@code java.class.path}. Under {@code
 * mvn exec:java} the program runs inside Maven's JVM, whose {@code java.class.path} holds only
 * Maven's launcher; the project's classes and dependencies are then the URLs of the class loader
 * that loaded the given class.
 */
final class ServerClasspath {

    private ServerClasspath() {}

    /**
     * The class path that contains {@code mainClass} and its dependencies, joined with the path
     * separator.
     */
    static String containing(Class<?> mainClass) {
        if (mainClass.getClassLoader() instanceof URLClassLoader loader
                && loader.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                entries.add(toPath(url));
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static String toPath(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "Cannot use class path entry " + url + " for the ZooKeeper process", e);
        }
    }
}
