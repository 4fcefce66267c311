package io.zkmq.cli;

/**
 * Runs an action when the JVM is asked to stop (Ctrl-C, SIGTERM) while a command is running.
 * Closing it unregisters the action, so a command that ends normally, or runs in-process in a test,
 * leaves no hook behind.
 */
final class OnShutdown implements AutoCloseable {
    private final Thread hook;

    private OnShutdown(Thread hook) {
        this.hook = hook;
    }

    static OnShutdown run(String name, Runnable action) {
        Thread hook = new Thread(action, "zkmq-shutdown-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
        return new OnShutdown(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: nothing to remove.
        }
    }
}
