package io.zkmq.bench;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;

/**
 * Deletes a scenario's scratch tree quickly: the children of a directory are deleted with many
 * asynchronous deletes in flight instead of one synchronous delete (one fsync) after another.
 *
 * <p>It lists each directory once, so scenarios keep every directory well under ZooKeeper's ~1 MB
 * {@code getChildren} response limit (tens of thousands of children).
 */
final class ZnodeCleaner {

    private static final int IN_FLIGHT = 200;
    private static final long RESPONSE_TIMEOUT_SECONDS = 60;

    private ZnodeCleaner() {}

    /**
     * Runs {@code work}, then deletes the scratch tree at {@code path} whether the work succeeded
     * or not. A failure of the work stays the primary exception; a failure to clean up after it is
     * attached as suppressed.
     */
    static <T> T runThenDelete(CuratorFramework client, String path, Callable<T> work)
            throws Exception {
        T result;
        try {
            result = work.call();
        } catch (Exception e) {
            try {
                deleteScratch(client, path);
            } catch (Exception cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
        deleteScratch(client, path);
        return result;
    }

    /**
     * Deletes {@code path} and everything below it, then {@link ScenarioContext#SCRATCH_ROOT} if it
     * is now empty.
     */
    static void deleteScratch(CuratorFramework client, String path) throws Exception {
        deleteRecursively(client, path);
        deleteIfPresentAndEmpty(client, ScenarioContext.SCRATCH_ROOT);
    }

    /** Deletes {@code path} and everything below it; a path that does not exist is fine. */
    static void deleteRecursively(CuratorFramework client, String path) throws Exception {
        List<String> children;
        try {
            children = client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return;
        }
        // Leaves go in one asynchronous pass; a child that has children of its own answers NOTEMPTY
        // and is
        // emptied recursively afterwards.
        for (String notEmpty : deleteLeaves(client, path, children)) {
            deleteRecursively(client, ZKPaths.makePath(path, notEmpty));
        }
        try {
            client.delete().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // already gone
        }
    }

    private static void deleteIfPresentAndEmpty(CuratorFramework client, String path)
            throws Exception {
        try {
            client.delete().forPath(path);
        } catch (KeeperException.NoNodeException | KeeperException.NotEmptyException e) {
            // another run still uses it, or it is already gone
        }
    }

    /** Deletes the given children asynchronously and returns those that were not empty. */
    private static List<String> deleteLeaves(
            CuratorFramework client, String parent, List<String> children) throws Exception {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        Queue<String> notEmpty = new ConcurrentLinkedQueue<>();
        AtomicReference<KeeperException> failure = new AtomicReference<>();
        for (String child : children) {
            acquire(permits, 1, parent);
            if (failure.get() != null) {
                permits.release();
                break;
            }
            client.delete()
                    .inBackground(
                            (c, event) -> {
                                Code code = Code.get(event.getResultCode());
                                if (code == Code.NOTEMPTY) {
                                    notEmpty.add(child);
                                } else if (code != Code.OK && code != Code.NONODE) {
                                    failure.compareAndSet(
                                            null, KeeperException.create(code, event.getPath()));
                                }
                                permits.release();
                            })
                    .forPath(ZKPaths.makePath(parent, child));
        }
        acquire(permits, IN_FLIGHT, parent);
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "Could not delete the benchmark's znodes under " + parent, failure.get());
        }
        return List.copyOf(notEmpty);
    }

    private static void acquire(Semaphore permits, int count, String parent)
            throws InterruptedException {
        if (!permits.tryAcquire(count, RESPONSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                    "ZooKeeper did not answer deletes under "
                            + parent
                            + " within "
                            + RESPONSE_TIMEOUT_SECONDS
                            + " s");
        }
    }
}
