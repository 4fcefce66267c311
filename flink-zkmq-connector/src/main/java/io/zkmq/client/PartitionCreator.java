package io.zkmq.client;

import io.zkmq.error.ZkErrors;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * Creates the znodes of a queue's partitions in transactions that stay below ZooKeeper's request
 * limit, adopting identical ones an interrupted create or alter left behind.
 */
final class PartitionCreator {
    // Keeps each multi() far below ZooKeeper's 1 MiB request limit.
    static final int OPS_PER_TRANSACTION = 800;

    private final CuratorFramework curator;

    PartitionCreator(CuratorFramework curator) {
        this.curator = curator;
    }

    /** Whether {@code added} partitions fit into one transaction together with the config. */
    static boolean fitsOneTransaction(int added) {
        return added * 4 + 1 <= OPS_PER_TRANSACTION;
    }

    /** The create operations of partitions {@code from} (inclusive) to {@code to} (exclusive). */
    List<CuratorOp> createOps(String queue, int from, int to) throws Exception {
        List<CuratorOp> ops = new ArrayList<>();
        for (NodeCreate c : partitionNodes(queue, from, to)) {
            ops.add(curator.transactionOp().create().forPath(c.path(), c.data()));
        }
        return ops;
    }

    private record NodeCreate(String path, byte[] data) {}

    private static List<NodeCreate> partitionNodes(String queue, int from, int to) {
        List<NodeCreate> creates = new ArrayList<>();
        for (int p = from; p < to; p++) {
            creates.add(new NodeCreate(ZkmqPaths.partition(queue, p), new byte[0]));
            creates.add(new NodeCreate(ZkmqPaths.head(queue, p), PartitionHead.EMPTY.toJson()));
            creates.add(new NodeCreate(ZkmqPaths.low(queue, p), PartitionLow.EMPTY.toJson()));
            creates.add(new NodeCreate(ZkmqPaths.segments(queue, p), new byte[0]));
        }
        return creates;
    }

    void createPartitions(String queue, int from, int to) {
        List<NodeCreate> all = partitionNodes(queue, from, to);
        for (int i = 0; i < all.size(); i += OPS_PER_TRANSACTION) {
            commitCreates(queue, all.subList(i, Math.min(all.size(), i + OPS_PER_TRANSACTION)));
        }
    }

    private void commitCreates(String queue, List<NodeCreate> creates) {
        try {
            List<CuratorOp> ops = new ArrayList<>();
            for (NodeCreate c : creates) {
                ops.add(curator.transactionOp().create().forPath(c.path(), c.data()));
            }
            curator.transaction().forOperations(ops);
        } catch (KeeperException.NodeExistsException e) {
            // Left over from an interrupted alter: partition nodes are identical, create the
            // missing ones.
            for (NodeCreate c : creates) {
                try {
                    curator.create().forPath(c.path(), c.data());
                } catch (KeeperException.NodeExistsException ignored) {
                    // Already there.
                } catch (Exception ex) {
                    throw ZkErrors.translate(ex, "creating partitions of queue '" + queue + "'");
                }
            }
        } catch (KeeperException.NoNodeException e) {
            throw QueueAdmin.notFound(curator, queue);
        } catch (Exception e) {
            throw ZkErrors.translate(e, "creating partitions of queue '" + queue + "'");
        }
    }
}
