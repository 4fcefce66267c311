package io.zkmq.sink.writer;

import io.zkmq.client.ZkmqClient;
import io.zkmq.connector.PermanentFailure;
import io.zkmq.connector.QueueAwait;
import io.zkmq.error.QueueNotFoundException;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Names;
import io.zkmq.sink.QueueSelector;
import io.zkmq.sink.ZkmqRecordSerializationSchema;
import io.zkmq.sink.ZkmqSinkConfig;
import io.zkmq.sink.ZkmqSinkRecord;
import io.zkmq.sink.committer.ZkmqCommittable;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's writer: serializes, chooses queue and partition, and hands records to the delivery of
 * the configured guarantee. An exactly-once writer first aborts the transactions an earlier run
 * left open, and names each checkpoint's transaction {@code <prefix>-<subtask>-<n>} where n grows
 * with every checkpoint and starts after the restored one.
 */
@Internal
public final class ZkmqSinkWriter<IN>
        implements StatefulSinkWriter<IN, ZkmqWriterState>,
                CommittingSinkWriter<IN, ZkmqCommittable> {
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqSinkWriter.class);

    private final ZkmqSinkConfig config;
    private final QueueSelector<IN> queueSelector;
    private final ZkmqRecordSerializationSchema<IN> serializer;
    private final ZkmqClient client;
    private final RecordRouter router;
    private final Delivery delivery;
    private final ZkmqRecordSerializationSchema.SinkContext sinkContext;
    private long transactionCheckpointId;
    private final Set<String> validQueues = new HashSet<>();

    public ZkmqSinkWriter(
            ZkmqSinkConfig config,
            QueueSelector<IN> queueSelector,
            ZkmqRecordSerializationSchema<IN> serializer,
            WriterInitContext context,
            Collection<ZkmqWriterState> recoveredState) {
        this.config = config;
        this.queueSelector = queueSelector;
        this.serializer = serializer;
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        OptionalLong restored = context.getRestoredCheckpointId();
        this.transactionCheckpointId = restored.orElse(0) + 1;
        this.client = ZkmqClient.connect(config.client());
        try {
            this.router = new RecordRouter(client, subtask);
            // A missing fixed queue fails here, at start, rather than at the first record.
            config.fixedQueue().ifPresent(this::awaitQueue);
            SendMetrics metrics = new SendMetrics(context.metricGroup());
            if (config.exactlyOnce()) {
                TreeSet<String> prefixes = new TreeSet<>();
                prefixes.add(config.transactionalIdPrefix());
                recoveredState.stream()
                        .map(ZkmqWriterState::transactionalIdPrefix)
                        .filter(Objects::nonNull)
                        .forEach(prefixes::add);
                int aborted =
                        LingeringTransactions.abort(
                                client.transactions(), prefixes, subtask, parallelism, restored);
                LOG.info(
                        "Exactly-once writer {}/{} (prefix {}) starts at transaction {}; aborted {} lingering transactions",
                        subtask,
                        parallelism,
                        prefixes,
                        transactionCheckpointId,
                        aborted);
                client.transactions()
                        .registerSinkTimeout(
                                config.transactionalIdPrefix(), config.abandonedTimeout());
                this.delivery =
                        new TransactionalDelivery(
                                client, config, metrics, subtask, () -> transactionCheckpointId);
            } else {
                this.delivery = new AppendingDelivery(client, config, metrics);
            }
            this.sinkContext = new WriterContext(subtask, parallelism);
            serializer.open(context.asSerializationSchemaInitializationContext(), sinkContext);
        } catch (Exception e) {
            client.close();
            throw e instanceof RuntimeException r
                    ? r
                    : new IllegalStateException("Cannot open the ZKMQ sink writer", e);
        }
    }

    @Override
    public void write(IN element, Context context) throws IOException {
        client.checkBackgroundErrors(); // fails the task: e.g. a callback that threw
        String queue = queueSelector.queue(element);
        if (!validQueues.contains(queue)) {
            // Checked once per name, not per record.
            awaitQueue(Names.queue(queue));
            validQueues.add(queue);
        }
        ZkmqSinkRecord record =
                serializer.serialize(element, queue, sinkContext, context.timestamp());
        delivery.write(queue, router.partition(queue, record), record.record());
    }

    /**
     * Returns once the queue exists, waiting up to 'queue.await-timeout'. A queue still missing
     * fails the job without restarts: a restarted writer would find it missing again.
     */
    private void awaitQueue(String queue) {
        try {
            QueueAwait.await(client, queue, config.queueAwaitTimeout());
        } catch (QueueNotFoundException e) {
            throw PermanentFailure.suppressRestarts(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkmqException(
                    "Interrupted while waiting for queue '" + queue + "' to be created", e);
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        client.checkBackgroundErrors();
        delivery.flush(endOfInput);
    }

    @Override
    public Collection<ZkmqCommittable> prepareCommit() throws IOException {
        client.checkBackgroundErrors();
        return delivery.prepareCommit(transactionCheckpointId);
    }

    @Override
    public List<ZkmqWriterState> snapshotState(long checkpointId) {
        // Later transactions are named after this checkpoint, never reusing one it contains.
        transactionCheckpointId = Math.max(transactionCheckpointId, checkpointId) + 1;
        return config.exactlyOnce()
                ? List.of(new ZkmqWriterState(config.transactionalIdPrefix()))
                : List.of();
    }

    @Override
    public void close() {
        try {
            delivery.close();
        } finally {
            client.close();
        }
    }

    private final class WriterContext implements ZkmqRecordSerializationSchema.SinkContext {
        private final int subtask;
        private final int parallelism;

        WriterContext(int subtask, int parallelism) {
            this.subtask = subtask;
            this.parallelism = parallelism;
        }

        @Override
        public int subtask() {
            return subtask;
        }

        @Override
        public int parallelism() {
            return parallelism;
        }

        @Override
        public int partitionCount(String queue) {
            return router.partitionCount(queue);
        }
    }
}
