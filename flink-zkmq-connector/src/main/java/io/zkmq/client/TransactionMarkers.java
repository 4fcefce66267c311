package io.zkmq.client;

import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkErrors;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.TransactionMarker;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Reads and lists transaction markers, for commits, aborts, restores and {@code zkmq txn list}.
 * Blocking, thread-safe.
 */
final class TransactionMarkers {
    private final CuratorFramework curator;
    private final QueueAdmin admin;
    private final SinkRegistry sinks;

    TransactionMarkers(CuratorFramework curator, QueueAdmin admin, SinkRegistry sinks) {
        this.curator = curator;
        this.admin = admin;
        this.sinks = sinks;
    }

    Optional<TransactionMarker> read(QueuePartition partition, String txn) {
        String path = ZkmqPaths.transaction(partition.queue(), partition.partition(), txn);
        try {
            return Optional.of(TransactionMarker.fromJson(curator.getData().forPath(path), path));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading " + path);
        }
    }

    List<TransactionStore.Listed> list(String queue) {
        int partitions = admin.readConfig(queue).config().partitions();
        List<TransactionStore.Listed> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            QueuePartition partition = new QueuePartition(queue, p);
            List<String> names;
            try {
                names =
                        new ArrayList<>(
                                curator.getChildren().forPath(ZkmqPaths.transactions(queue, p)));
            } catch (KeeperException.NoNodeException e) {
                continue;
            } catch (Exception e) {
                throw ZkErrors.translate(e, "listing transactions of " + partition);
            }
            names.sort(null);
            for (String name : names) {
                read(partition, name)
                        .ifPresent(
                                m ->
                                        out.add(
                                                new TransactionStore.Listed(
                                                        queue, partition.partition(), m)));
            }
        }
        return out;
    }

    List<TransactionStore.Listed> listByPrefix(String prefix) {
        List<TransactionStore.Listed> out = new ArrayList<>();
        for (String queue : sinks.sinkQueues(prefix)) {
            try {
                list(queue).stream()
                        .filter(l -> l.marker().id().prefix().equals(prefix))
                        .forEach(out::add);
            } catch (QueueNotFoundException e) {
                // deleted since: nothing left to abort there
            }
        }
        return out;
    }

    /**
     * Fails naming the partition if its head znode is missing: the queue or partition does not
     * exist.
     */
    void requirePartition(QueuePartition partition) throws Exception {
        String head = ZkmqPaths.head(partition.queue(), partition.partition());
        if (curator.checkExists().forPath(head) == null) {
            throw new QueueNotFoundException(
                    "Queue '"
                            + partition.queue()
                            + "' has no partition "
                            + partition.partition()
                            + " (no znode "
                            + head
                            + ")");
        }
    }
}
