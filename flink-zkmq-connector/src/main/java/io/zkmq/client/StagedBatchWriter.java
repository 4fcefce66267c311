package io.zkmq.client;

import io.zkmq.error.ZkmqException;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.SealedBatch;
import io.zkmq.queue.StagedBatch;
import io.zkmq.queue.ZkmqPaths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * Writes a transaction's staged batches in bounded asynchronous {@code multi()}s. Idempotent: a
 * chunk an earlier try already wrote is settled batch by batch, creating the missing ones and
 * checking that those present hold the same bytes.
 */
final class StagedBatchWriter {
    /**
     * Staged bytes written per {@code multi()} when staging (ZooKeeper's request limit is 1 MiB).
     */
    private static final int STAGE_CHUNK_BYTES = 900 * 1024;

    private static final int STAGE_REQUESTS_IN_FLIGHT = 8;

    private final CuratorFramework curator;

    StagedBatchWriter(CuratorFramework curator) {
        this.curator = curator;
    }

    void writeStaged(QueuePartition partition, List<SealedBatch> batches, List<StagedBatch> staged)
            throws Exception {
        String dir = ZkmqPaths.stagedBatches(partition.queue(), partition.partition());
        if (curator.checkExists().forPath(dir) == null) {
            try {
                curator.create().forPath(dir);
            } catch (KeeperException.NodeExistsException ignored) {
                // created concurrently
            }
        }
        // Asynchronous multis of up to ~900 KiB each, at most STAGE_REQUESTS_IN_FLIGHT at once:
        // enough to
        // keep ZooKeeper's disk busy, bounded so that a large staging cannot flood the server's
        // memory.
        List<Chunk> chunks = new ArrayList<>();
        Semaphore inFlight = new Semaphore(STAGE_REQUESTS_IN_FLIGHT);
        Chunk chunk = new Chunk();
        for (int i = 0; i < batches.size(); i++) {
            StagedBatch s = staged.get(i);
            byte[] data = batches.get(i).encode(0, s.producerId(), s.producerSequence());
            if (!chunk.paths.isEmpty() && chunk.bytes + data.length > STAGE_CHUNK_BYTES) {
                chunks.add(submit(chunk, inFlight));
                chunk = new Chunk();
            }
            chunk.add(s.path(), data);
        }
        chunks.add(submit(chunk, inFlight));
        CompletableFuture.allOf(
                        chunks.stream()
                                .map(c -> c.done.exceptionally(e -> null))
                                .toArray(CompletableFuture[]::new))
                .get(2, TimeUnit.MINUTES);
        for (Chunk c : chunks) {
            try {
                c.done.get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof KeeperException.NodeExistsException)) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
                // Written by an earlier try (a multi is all or nothing): read back what is there.
                writeOneByOne(c);
            }
        }
    }

    /**
     * Creates each batch of a chunk that is missing and checks that those present hold the same
     * bytes.
     */
    private void writeOneByOne(Chunk chunk) throws Exception {
        for (int i = 0; i < chunk.paths.size(); i++) {
            String path = chunk.paths.get(i);
            try {
                curator.create().forPath(path, chunk.data.get(i));
            } catch (KeeperException.NodeExistsException e) {
                if (!Arrays.equals(curator.getData().forPath(path), chunk.data.get(i))) {
                    throw new ZkmqException(
                            "Staged batch "
                                    + path
                                    + " already exists with different content: another"
                                    + " writer staged under the same transaction and attempt");
                }
            }
        }
    }

    private Chunk submit(Chunk chunk, Semaphore inFlight) throws Exception {
        inFlight.acquire();
        chunk.done.whenComplete((v, e) -> inFlight.release());
        List<CuratorOp> ops = new ArrayList<>(chunk.paths.size());
        for (int i = 0; i < chunk.paths.size(); i++) {
            ops.add(
                    curator.transactionOp()
                            .create()
                            .forPath(chunk.paths.get(i), chunk.data.get(i)));
        }
        curator.transaction()
                .inBackground(
                        (c, event) -> {
                            KeeperException.Code code =
                                    KeeperException.Code.get(event.getResultCode());
                            if (code == KeeperException.Code.OK) {
                                chunk.done.complete(null);
                            } else {
                                chunk.done.completeExceptionally(
                                        KeeperException.create(code, event.getPath()));
                            }
                        })
                .forOperations(ops);
        return chunk;
    }

    /** The staged batches written by one {@code multi()}. */
    private static final class Chunk {
        final List<String> paths = new ArrayList<>();
        final List<byte[]> data = new ArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int bytes;

        void add(String path, byte[] bytes) {
            paths.add(path);
            data.add(bytes);
            this.bytes += bytes.length;
        }
    }
}
