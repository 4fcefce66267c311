package io.zkmq.client;

import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkErrors;
import io.zkmq.queue.CommittedPosition;
import io.zkmq.queue.OwnerInfo;
import io.zkmq.queue.PartitionHead;
import io.zkmq.queue.PartitionLow;
import io.zkmq.queue.ZkmqPaths;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;

/**
 * Reads the state znodes of one partition: head, low mark, a group's committed offset and owner.
 */
final class PartitionStateReader {
    private final CuratorFramework curator;

    PartitionStateReader(CuratorFramework curator) {
        this.curator = curator;
    }

    PartitionHead readHead(String queue, int partition) {
        String path = ZkmqPaths.head(queue, partition);
        return PartitionHead.fromJson(readRequired(queue, path), path);
    }

    PartitionLow readLow(String queue, int partition) {
        String path = ZkmqPaths.low(queue, partition);
        return PartitionLow.fromJson(readRequired(queue, path), path);
    }

    Optional<CommittedPosition> readCommitted(String queue, String group, int partition) {
        String path = ZkmqPaths.offset(queue, group, partition);
        return readOptional(path)
                .filter(d -> d.length > 0)
                .map(d -> CommittedPosition.fromJson(d, path));
    }

    Optional<OwnerInfo> readOwner(String queue, String group, int partition) {
        String path = ZkmqPaths.owner(queue, group, partition);
        return readOptional(path).map(d -> OwnerInfo.fromJson(d, path));
    }

    private byte[] readRequired(String queue, String path) {
        try {
            return curator.getData().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            throw new QueueNotFoundException(
                    "Queue '"
                            + queue
                            + "' has no znode "
                            + ZKPaths.makePath(curator.getNamespace(), path)
                            + " (deleted, or not a queue)");
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading " + path);
        }
    }

    private Optional<byte[]> readOptional(String path) {
        try {
            return Optional.of(curator.getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw ZkErrors.translate(e, "reading " + path);
        }
    }
}
