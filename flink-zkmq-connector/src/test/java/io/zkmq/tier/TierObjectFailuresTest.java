package io.zkmq.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.CorruptObjectException;
import io.zkmq.error.TierObjectNotFoundException;
import io.zkmq.error.TierUnavailableException;
import io.zkmq.testing.TierTestBatches;
import io.zkmq.testing.TierTestBatches.Stored;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged, deleted and unreachable objects fail with specific errors naming the object. */
class TierObjectFailuresTest {
    private static final String QUEUE = "q";
    private static final int PARTITION = 0;

    @TempDir java.nio.file.Path dir;

    private TierObjectStore store;
    private List<Stored> batches;
    private WrittenTierObject written;
    private java.nio.file.Path file;

    @BeforeEach
    void writeObject() {
        batches = TierTestBatches.generate(QUEUE, PARTITION, 0, 0, 2_000, 2048, 0, 7);
        store = new TierObjectStore(new Path(dir.toUri()), "zkmq");
        written =
                store.write(
                        QUEUE,
                        PARTITION,
                        0,
                        w -> {
                            for (Stored b : batches) {
                                b.appendTo(w);
                            }
                        });
        file = dir.resolve(written.relativePath());
    }

    private void flipByte(long position) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) position] ^= 0x01;
        Files.write(file, bytes);
    }

    private void readAll() {
        try (TierBatchIterator it = store.open(QUEUE, PARTITION, written.path()).batches()) {
            it.forEachRemaining(b -> b.records());
        }
    }

    @Test
    void flippedByteInABatchFailsReadingThatBatchNamingObjectAndSeq() throws IOException {
        Stored victim = batches.get(5);
        long position = batches.subList(0, 5).stream().mapToLong(b -> b.data().length).sum();
        flipByte(position + victim.data().length - 3); // inside its records
        TierObjectReader reader =
                store.open(QUEUE, PARTITION, written.path()); // footer and index are intact
        assertThatThrownBy(this::readAll)
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(written.path().toString())
                .hasMessageContaining("batch 5 at byte " + position)
                .hasMessageContaining("CRC32C mismatch");
        // Lookups verify every batch they pass, so only the next index group (from batch 8) still
        // reads.
        assertThatThrownBy(() -> reader.fromSeq(6))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("batch 5");
        try (TierBatchIterator it = reader.fromSeq(8).orElseThrow()) {
            assertThat(it.next().seq()).isEqualTo(8);
        }
    }

    @Test
    void flippedByteInTheIndexFailsOpen() throws IOException {
        flipByte(written.footer().indexPosition() + 5);
        assertThatThrownBy(() -> store.open(QUEUE, PARTITION, written.path()))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(written.path().toString())
                .hasMessageContaining("index CRC32C mismatch");
    }

    @Test
    void flippedByteInTheFooterFailsOpen() throws IOException {
        flipByte(written.footer().objectLength() - 60);
        assertThatThrownBy(() -> store.open(QUEUE, PARTITION, written.path()))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(written.path().toString())
                .hasMessageContaining("footer CRC32C mismatch");
    }

    @Test
    void truncatedObjectFailsOpen() throws IOException {
        try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
            channel.truncate(written.footer().objectLength() - 1);
        }
        assertThatThrownBy(() -> store.open(QUEUE, PARTITION, written.path()))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(written.path().toString())
                .hasMessageContaining("bad magic")
                .hasMessageContaining("truncated");
        try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
            channel.truncate(40);
        }
        assertThatThrownBy(() -> store.open(QUEUE, PARTITION, written.path()))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining(written.path().toString())
                .hasMessageContaining("fewer than its 88-byte footer");
    }

    @Test
    void deletedObjectIsReportedAsNotFoundWhenOpenedOrRead() {
        TierObjectReader reader = store.open(QUEUE, PARTITION, written.path());
        assertThat(store.delete(written.path())).isTrue();
        assertThat(store.list(QUEUE, PARTITION)).isEmpty();
        assertThatThrownBy(() -> store.open(QUEUE, PARTITION, written.path()))
                .isInstanceOf(TierObjectNotFoundException.class)
                .hasMessageContaining(written.path().toString())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(reader::batches)
                .isInstanceOf(TierObjectNotFoundException.class)
                .hasMessageContaining(written.path().toString());
    }

    @Test
    void unreachableFileSystemIsTierUnavailableNotCorruption() throws IOException {
        // The tier root is a regular file: every write below it fails with an I/O error.
        java.nio.file.Path notADirectory = Files.writeString(dir.resolve("blocked"), "x");
        TierObjectStore blocked = new TierObjectStore(new Path(notADirectory.toUri()), "zkmq");
        assertThatThrownBy(
                        () -> blocked.write(QUEUE, PARTITION, 0, w -> batches.get(0).appendTo(w)))
                .isInstanceOf(TierUnavailableException.class)
                .hasMessageContaining("Tier file system failed to write")
                .hasMessageContaining(notADirectory.toUri().getPath());
    }

    @Test
    void failedWriteLeavesNoObjectAndRetriesUseFreshNames() {
        assertThatThrownBy(
                        () ->
                                store.write(
                                        QUEUE,
                                        PARTITION,
                                        100,
                                        w -> {
                                            batches.get(0).appendTo(w);
                                            throw new IOException("source failed");
                                        }))
                .isInstanceOf(TierUnavailableException.class)
                .hasMessageContaining("source failed");
        assertThatThrownBy(
                        () -> store.write(QUEUE, PARTITION, 100, w -> batches.get(0).appendTo(w)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("named for first seq 100 but its first batch is 0");
        WrittenTierObject again = store.write(QUEUE, PARTITION, 0, w -> batches.get(0).appendTo(w));
        assertThat(again.path()).isNotEqualTo(written.path());
        assertThat(store.list(QUEUE, PARTITION))
                .extracting(ListedTierObject::path)
                .containsExactlyInAnyOrder(written.path(), again.path());
    }

    @Test
    void listingIgnoresForeignFilesAndAnswersEmptyForAPartitionWithoutObjects() throws IOException {
        Files.writeString(file.resolveSibling("README.txt"), "not an object");
        assertThat(store.list(QUEUE, PARTITION))
                .extracting(o -> o.name().firstSeq())
                .containsExactly(0L);
        assertThat(store.list(QUEUE, 7)).isEmpty();
    }
}
