package io.zkmq.queue;

import io.zkmq.error.InvalidConfigException;
import java.util.regex.Pattern;
import org.apache.flink.annotation.Internal;

/** Validates the names that become znode path segments (queues, groups, members, namespaces). */
@Internal
public final class Names {
    // A conservative subset of what ZooKeeper allows, so names are safe in paths, shells and URLs.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private Names() {}

    public static String queue(String name) {
        return check("queue name", name);
    }

    public static String group(String name) {
        return check("group name", name);
    }

    public static String member(String name) {
        return check("member id", name);
    }

    public static String namespace(String name) {
        return check("namespace", name);
    }

    private static String check(String what, String name) {
        if (name == null) {
            throw new InvalidConfigException("The " + what + " must not be null");
        }
        if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new InvalidConfigException(
                    "Invalid "
                            + what
                            + " '"
                            + name
                            + "': use 1-200 characters of A-Z, a-z, 0-9, '.', '_' or '-' (not '.' or '..')");
        }
        return name;
    }
}
