package io.zkmq.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zkmq.error.TierObjectNotFoundException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.Record;
import io.zkmq.queue.TierIndexEntry;
import io.zkmq.testing.S3ProxyExtension;
import io.zkmq.testing.TierTestBatches;
import io.zkmq.testing.TierTestBatches.Stored;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.fs.Path;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tier objects on S3: a real S3-compatible server (s3proxy) reached through Flink's S3 file system
 * plugin, exactly as a Flink job's TaskManager would reach AWS S3.
 */
class TierObjectStoreS3Test {
    @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

    private static final String QUEUE = "orders";
    private static final int PARTITION = 2;
    private static final long FIRST_SEQ = 300;
    private static final long BASE_OFFSET = 10_000;

    private static WrittenTierObject write(TierObjectStore store, List<Stored> batches) {
        return store.write(
                QUEUE,
                PARTITION,
                batches.get(0).seq(),
                w -> {
                    for (Stored b : batches) {
                        b.appendTo(w);
                    }
                });
    }

    private static List<String> objectNamesInBucket(String prefix) {
        return S3
                .blobStore()
                .list(S3ProxyExtension.BUCKET, ListContainerOptions.Builder.recursive())
                .stream()
                .map(StorageMetadata::getName)
                .filter(n -> n.startsWith(prefix + "/") && n.endsWith(".zkseg"))
                .toList();
    }

    @Test
    void writesVerifiesReadsRangesListsAndDeletesObjectsOnS3() {
        List<Stored> batches =
                TierTestBatches.generate(
                        QUEUE, PARTITION, FIRST_SEQ, BASE_OFFSET, 20_000, 8 * 1024, 7, 11);
        TierObjectStore store = new TierObjectStore(new Path(S3.uri("store-test")), "ns1");

        WrittenTierObject written = write(store, batches);

        assertThat(written.path().toUri().getScheme()).isEqualTo("s3");
        assertThat(objectNamesInBucket("store-test"))
                .as("the object is in the bucket, under the tier root")
                .containsExactly("store-test/" + written.relativePath());
        assertThat(store.list(QUEUE, PARTITION))
                .extracting(ListedTierObject::path)
                .containsExactly(written.path());

        TierObjectReader reader = store.open(QUEUE, PARTITION, written.path());
        assertThat(reader.footer()).isEqualTo(written.footer());
        assertThat(written.indexEntry(0, 1).matches(reader.footer())).isTrue();
        assertThat(reader.footer().recordCount()).isEqualTo(20_000);

        // Range reads from index entries: start in the middle of the object, not at its start.
        assertThat(reader.index().size()).isGreaterThan(3);
        TierIndexEntry middle = reader.index().entry(reader.index().size() / 2);
        Stored expectedFirst =
                batches.stream().filter(b -> b.seq() == middle.seq()).findFirst().orElseThrow();
        List<Batch> fromMiddle = new ArrayList<>();
        try (TierBatchIterator it = reader.iterator(middle)) {
            it.forEachRemaining(fromMiddle::add);
        }
        assertThat(fromMiddle.get(0).seq()).isEqualTo(middle.seq());
        assertThat(fromMiddle.get(0).baseOffset()).isEqualTo(expectedFirst.baseOffset());
        assertThat(fromMiddle).hasSize(batches.size() - batches.indexOf(expectedFirst));

        Stored byOffset = batches.get(batches.size() * 3 / 4);
        try (TierBatchIterator it = reader.fromOffset(byOffset.baseOffset() + 1).orElseThrow()) {
            Batch b = it.next();
            assertThat(b.seq()).isEqualTo(byOffset.seq());
            assertThat(b.records())
                    .extracting(QueueRecord::record)
                    .containsExactlyElementsOf(byOffset.records());
        }

        List<Record> all = new ArrayList<>();
        try (TierBatchIterator it = reader.batches()) {
            it.forEachRemaining(b -> b.records().forEach(r -> all.add(r.record())));
        }
        assertThat(all)
                .containsExactlyElementsOf(
                        batches.stream().flatMap(b -> b.records().stream()).toList());

        assertThat(store.delete(written.path())).isTrue();
        assertThat(store.list(QUEUE, PARTITION)).isEmpty();
        assertThat(objectNamesInBucket("store-test")).isEmpty();
        assertThatThrownBy(() -> store.open(QUEUE, PARTITION, written.path()))
                .isInstanceOf(TierObjectNotFoundException.class)
                .hasMessageContaining(written.path().toString());
    }

    @Test
    void listsSeveralObjectsOfAPartitionInSeqOrderAndNoneOfAnEmptyOne() {
        TierObjectStore store = new TierObjectStore(new Path(S3.uri("list-test")), "ns2");
        List<Stored> first =
                TierTestBatches.generate(QUEUE, PARTITION, 0, 0, 2_000, 4 * 1024, 0, 1);
        Stored lastOfFirst = first.get(first.size() - 1);
        List<Stored> second =
                TierTestBatches.generate(
                        QUEUE,
                        PARTITION,
                        lastOfFirst.seq() + 1,
                        lastOfFirst.nextOffset(),
                        2_000,
                        4 * 1024,
                        0,
                        2);
        WrittenTierObject b = write(store, second);
        WrittenTierObject a = write(store, first);

        assertThat(store.list(QUEUE, PARTITION))
                .extracting(ListedTierObject::path)
                .containsExactly(a.path(), b.path());
        assertThat(store.list(QUEUE, PARTITION + 1)).isEmpty();
    }

    @Test
    void writesOnAnS3FileSystemThatRefusesSyncInsteadOfWarning() throws Exception {
        // S3A only warns about sync() by default; with this setting it refuses. An object store
        // commits an upload on close: no sync needed.
        Map<String, String> strict = new HashMap<>(S3.flinkConfig());
        strict.put("s3.downgrade.syncable.exceptions", "false");
        S3ProxyExtension.initializeFlinkFileSystems(strict, S3ProxyExtension.pluginsDir());
        try {
            TierObjectStore store = new TierObjectStore(new Path(S3.uri("strict-sync")), "ns3");
            List<Stored> batches =
                    TierTestBatches.generate(QUEUE, PARTITION, 0, 0, 500, 4 * 1024, 0, 3);
            WrittenTierObject written = write(store, batches);
            assertThat(store.open(QUEUE, PARTITION, written.path()).footer().recordCount())
                    .isEqualTo(500);
        } finally {
            S3ProxyExtension.initializeFlinkFileSystems(
                    S3.flinkConfig(), S3ProxyExtension.pluginsDir());
        }
    }
}
