package io.zkmq.client;

import io.zkmq.error.CorruptBatchException;
import io.zkmq.error.OffsetOutOfRangeException;
import io.zkmq.error.TierObjectNotFoundException;
import io.zkmq.error.TierUnavailableException;
import io.zkmq.error.ZkErrors;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Batch;
import io.zkmq.queue.Position;
import io.zkmq.queue.QueuePartition;
import io.zkmq.queue.QueueRecord;
import io.zkmq.queue.StartingPosition;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's read state: the position of each partition it reads, the decoded records not yet
 * handed out, and the fetcher that reads ahead of them. Used from the polling thread only.
 */
final class PartitionReads {
    // Logged under the consumer's name: that is the category users configure.
    private static final Logger LOG = LoggerFactory.getLogger(ZkmqConsumer.class);

    private final String queue;
    private final ConsumerOptions options;
    private final Fetcher fetcher;
    private final PositionResolver resolver;
    private final Map<Integer, Position> positions = new TreeMap<>();
    private final ArrayDeque<Drained> leftover = new ArrayDeque<>();
    // A failed batch met after records were already collected: raised by the next poll, so the
    // records before it are returned first and nothing is lost.
    private FetchedBatch deferred;

    PartitionReads(
            String queue, ConsumerOptions options, Fetcher fetcher, PositionResolver resolver) {
        this.queue = queue;
        this.options = options;
        this.fetcher = fetcher;
        this.resolver = resolver;
    }

    Fetcher fetcher() {
        return fetcher;
    }

    boolean reads(int p) {
        return positions.containsKey(p);
    }

    Position position(int p) {
        return positions.get(p);
    }

    Map<Integer, Position> positions() {
        return Collections.unmodifiableMap(new TreeMap<>(positions));
    }

    FetchedBatch takeDeferred() {
        FetchedBatch b = deferred;
        deferred = null;
        return b;
    }

    boolean hasDeferred() {
        return deferred != null;
    }

    void defer(FetchedBatch b) {
        deferred = b;
    }

    void startFetching(int p, Position position) {
        positions.put(p, position);
        leftover.removeIf(d -> d.partition == p);
        fetcher.assign(p, position);
    }

    /** Stops reading a partition and forgets everything fetched from it. */
    void forget(int p) {
        if (deferred != null && deferred.partition() == p) {
            deferred = null;
        }
        positions.remove(p);
        fetcher.unassign(p);
        leftover.removeIf(d -> d.partition == p);
    }

    Position resolve(int p, StartingPosition start) {
        StartingPosition here = start.perPartition(new QueuePartition(queue, p));
        try {
            return resolver.resolve(p, here);
        } catch (ZkmqException e) {
            throw e;
        } catch (Exception e) {
            throw ZkErrors.translate(
                    e, "resolving " + start + " in " + new QueuePartition(queue, p));
        }
    }

    /** Decodes a fetched batch into the leftover records, or raises its error. */
    void accept(FetchedBatch b) {
        int p = b.partition();
        Position position = positions.get(p);
        if (position == null) {
            fetcher.consumed(b);
            return;
        }
        if (b.error() != null) {
            fetcher.consumed(b);
            if (b.error() instanceof OffsetOutOfRangeException
                    && options.outOfRange() == ConsumerOptions.OutOfRange.RESET_TO_EARLIEST) {
                Position earliest = resolve(p, StartingPosition.earliest());
                LOG.warn(
                        "Queue '{}' partition {}: {}; continuing from {}",
                        queue,
                        p,
                        b.error().getMessage(),
                        earliest);
                startFetching(p, earliest);
                return;
            }
            if (b.error() instanceof OffsetOutOfRangeException) {
                // Raised on every poll until the caller seeks: the position stays where it was.
                fetcher.assign(p, position);
                throw new OffsetOutOfRangeException(
                        "Position "
                                + position
                                + " of "
                                + new QueuePartition(queue, p)
                                + " is no longer readable: "
                                + b.error().getMessage(),
                        b.error());
            }
            if (b.error() instanceof CorruptBatchException
                    || b.error() instanceof TierObjectNotFoundException
                    || b.error() instanceof TierUnavailableException) {
                // Re-read from here: every later poll raises it again (or reads on once the tier
                // is back), as for a corrupt batch below.
                fetcher.assign(p, position);
            }
            throw b.error();
        }
        if (b.seq() != position.seq() && leftover.stream().noneMatch(d -> d.partition == p)) {
            throw new IllegalStateException(
                    "Fetched batch "
                            + b.seq()
                            + " of "
                            + new QueuePartition(queue, p)
                            + " does not follow position "
                            + position);
        }
        Batch batch;
        List<QueueRecord> records;
        try {
            batch = b.parse();
            records = batch.records(Math.max(b.fromOffset(), position.offset()));
        } catch (CorruptBatchException e) {
            // Re-read from the corrupt batch, so every later poll raises it again instead of moving
            // past it.
            fetcher.assign(p, position);
            throw e;
        }
        fetcher.consumed(b);
        leftover.add(new Drained(p, batch.seq(), batch.nextOffset(), records));
    }

    /** Moves decoded records to {@code out}, up to maxPollRecords, advancing the positions. */
    void drainInto(List<QueueRecord> out) {
        while (!leftover.isEmpty() && out.size() < options.maxPollRecords()) {
            Drained d = leftover.peek();
            if (!positions.containsKey(d.partition)) {
                leftover.poll();
                continue;
            }
            int take = Math.min(d.records.size() - d.index, options.maxPollRecords() - out.size());
            out.addAll(d.records.subList(d.index, d.index + take));
            d.index += take;
            if (d.index == d.records.size()) {
                positions.put(d.partition, new Position(d.seq + 1, d.nextOffset));
                leftover.poll();
            } else {
                positions.put(d.partition, new Position(d.seq, d.records.get(d.index).offset()));
            }
        }
    }

    /** Decoded records of one batch, returned across polls when maxPollRecords splits it. */
    private static final class Drained {
        final int partition;
        final long seq;
        final long nextOffset;
        final List<QueueRecord> records;
        int index;

        Drained(int partition, long seq, long nextOffset, List<QueueRecord> records) {
            this.partition = partition;
            this.seq = seq;
            this.nextOffset = nextOffset;
            this.records = records;
        }
    }
}
