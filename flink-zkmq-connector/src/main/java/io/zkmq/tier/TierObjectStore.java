package io.zkmq.tier;

import io.zkmq.error.CorruptObjectException;
import io.zkmq.queue.TierObjectFooter;
import io.zkmq.queue.TierObjectFormat;
import io.zkmq.queue.TierObjectWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.apache.flink.annotation.Internal;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tier objects of one namespace under a tier root, on any file system Flink supports. Objects live
 * at {@code <tierRoot>/<namespace>/<queue>/<p>/<firstSeq %019d>-<attempt>.zkseg}.
 *
 * <p>Writes go straight to the final name with {@link FileSystem.WriteMode#NO_OVERWRITE} and a
 * random attempt id instead of a temporary name and a rename: on object stores (S3, GCS, Azure) a
 * rename is a copy and a delete, neither atomic nor cheap, while an upload becomes visible whole
 * when it completes. The attempt id keeps two uploads of the same batches (a retry, a deposed
 * leader) from ever meeting; a partial or unregistered object is found by {@link #list} and deleted
 * by clean-up. Nothing reads an object before its ZooKeeper index entry registers it.
 */
@Internal
public final class TierObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(TierObjectStore.class);

    /**
     * Read buffer per batch iterator: a few batches, so memory stays bounded whatever the object
     * size.
     */
    public static final int DEFAULT_READ_BUFFER_BYTES = 1 << 20;

    private final Path root;
    private final String namespace;
    private final int indexInterval;
    private final int readBufferBytes;
    private final RandomGenerator random;

    public TierObjectStore(
            Path root,
            String namespace,
            int indexInterval,
            int readBufferBytes,
            RandomGenerator random) {
        if (namespace == null || namespace.isEmpty() || namespace.contains("/")) {
            throw new IllegalArgumentException(
                    "namespace must be one non-empty path segment, got '" + namespace + "'");
        }
        if (indexInterval < 1 || readBufferBytes < 1) {
            throw new IllegalArgumentException(
                    "index interval "
                            + indexInterval
                            + " and read buffer "
                            + readBufferBytes
                            + " must be positive");
        }
        this.root = root;
        this.namespace = namespace;
        this.indexInterval = indexInterval;
        this.readBufferBytes = readBufferBytes;
        this.random = random;
    }

    public TierObjectStore(Path root, String namespace) {
        this(
                root,
                namespace,
                TierObjectFormat.DEFAULT_INDEX_INTERVAL,
                DEFAULT_READ_BUFFER_BYTES,
                new SecureRandom());
    }

    /** Where a partition's objects live. */
    public Path partitionDirectory(String queue, int partition) {
        return new Path(root, relativeDirectory(queue, partition));
    }

    /** The path of an object relative to the tier root: what the ZooKeeper index entry stores. */
    public String relativePath(String queue, int partition, TierObjectName name) {
        return relativeDirectory(queue, partition) + "/" + name.fileName();
    }

    /** The full path of an object from its path relative to the tier root. */
    public Path resolve(String relativePath) {
        return new Path(root, relativePath);
    }

    private String relativeDirectory(String queue, int partition) {
        if (queue == null || queue.isEmpty() || queue.contains("/") || partition < 0) {
            throw new IllegalArgumentException(
                    "bad queue '" + queue + "' or partition " + partition);
        }
        return namespace + "/" + queue + "/" + partition;
    }

    /**
     * Writes a new object of {@code queue} partition {@code partition} whose first batch is {@code
     * firstSeq}, with the batches {@code source} appends, then reads its footer and index back and
     * checks them against what was written. A failed write deletes what it left.
     */
    public WrittenTierObject write(String queue, int partition, long firstSeq, BatchSource source) {
        String relative =
                relativePath(queue, partition, TierObjectName.newAttempt(firstSeq, random));
        Path path = resolve(relative);
        FileSystem fs = fileSystem(path);
        TierObjectFooter footer;
        try {
            try (FSDataOutputStream out = fs.create(path, FileSystem.WriteMode.NO_OVERWRITE)) {
                TierObjectWriter writer =
                        new TierObjectWriter(queue, partition, out, indexInterval);
                source.writeTo(writer);
                footer = writer.finish();
                try {
                    out.flush();
                    out.sync(); // durable before it can be registered
                } catch (UnsupportedOperationException objectStore) {
                    // Object stores (S3A) may refuse flush and sync: close() commits the upload.
                }
            }
            if (footer.firstSeq() != firstSeq) {
                throw new IllegalArgumentException(
                        "Tier object "
                                + path
                                + " was named for first seq "
                                + firstSeq
                                + " but its first batch is "
                                + footer.firstSeq());
            }
            TierObjectFooter readBack =
                    TierObjectReader.open(fs, queue, partition, path, readBufferBytes).footer();
            if (!readBack.equals(footer)) {
                throw new CorruptObjectException(
                        "Tier object "
                                + path
                                + " reads back with footer "
                                + readBack
                                + ", not the one written: "
                                + footer);
            }
        } catch (IOException e) {
            RuntimeException failure = TierIo.failure("write", path, e);
            deleteAfterFailure(fs, path, failure);
            throw failure;
        } catch (RuntimeException e) {
            deleteAfterFailure(fs, path, e);
            throw e;
        }
        return new WrittenTierObject(relative, path, footer);
    }

    private static void deleteAfterFailure(FileSystem fs, Path path, RuntimeException failure) {
        try {
            fs.delete(path, false);
        } catch (IOException e) {
            // Left for orphan clean-up: it is not registered, so no reader finds it.
            failure.addSuppressed(e);
        }
    }

    /** Opens the object at {@code path}: reads and verifies its footer and index. */
    public TierObjectReader open(String queue, int partition, Path path) {
        return TierObjectReader.open(fileSystem(path), queue, partition, path, readBufferBytes);
    }

    /**
     * The objects in a partition's directory, by first seq then attempt; none if the directory does
     * not exist. Files not named like an object are logged and left alone: they are not ours.
     */
    public List<ListedTierObject> list(String queue, int partition) {
        Path dir = partitionDirectory(queue, partition);
        FileSystem fs = fileSystem(dir);
        FileStatus[] statuses;
        try {
            statuses = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw TierIo.failure("list", dir, e);
        }
        if (statuses == null) { // Flink's local file system answers null for a missing directory
            return List.of();
        }
        List<ListedTierObject> out = new ArrayList<>();
        for (FileStatus s : statuses) {
            Optional<TierObjectName> name =
                    s.isDir() ? Optional.empty() : TierObjectName.parse(s.getPath().getName());
            if (name.isEmpty()) {
                LOG.warn(
                        "Ignoring {} in the tier directory of queue '{}' partition {}: not a tier object",
                        s.getPath(),
                        queue,
                        partition);
                continue;
            }
            out.add(
                    new ListedTierObject(
                            s.getPath(), name.get(), s.getLen(), s.getModificationTime()));
        }
        out.sort(
                Comparator.comparingLong((ListedTierObject o) -> o.name().firstSeq())
                        .thenComparing(o -> o.name().attempt()));
        return out;
    }

    /** Deletes an object; true if the file system says it deleted it. */
    public boolean delete(Path path) {
        try {
            return fileSystem(path).delete(path, false);
        } catch (IOException e) {
            throw TierIo.failure("delete", path, e);
        }
    }

    private static FileSystem fileSystem(Path path) {
        try {
            return path.getFileSystem();
        } catch (IOException e) {
            throw TierIo.failure("reach the file system of", path, e);
        }
    }
}
