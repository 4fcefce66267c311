package io.zkmq.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Every thread's stack, for the message of a test that timed out (CI keeps only the reports). */
public final class ThreadDump {
    private ThreadDump() {}

    public static String ofAllThreads() {
        ThreadInfo[] threads = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true, 64);
        return Arrays.stream(threads).map(ThreadDump::describe).collect(Collectors.joining("\n"));
    }

    private static String describe(ThreadInfo t) {
        StringBuilder s = new StringBuilder('"' + t.getThreadName() + "\" " + t.getThreadState());
        if (t.getLockName() != null) {
            s.append(" on ").append(t.getLockName());
        }
        for (StackTraceElement e : t.getStackTrace()) {
            s.append("\n    at ").append(e);
        }
        return s.toString();
    }
}
