package io.zkmq.source.enumerator;

import io.zkmq.queue.QueuePartition;
import io.zkmq.source.split.ZkmqSplit;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.annotation.Internal;

/**
 * The enumerator's checkpoint. {@code lastOwner}: the reader each split was last assigned to (the
 * sticky assignment's memory). {@code held}: splits that readers hold, whose positions are in the
 * readers' state and come back to the enumerator when the readers register after a restore. {@code
 * unassigned}: splits known but not handed to any reader yet, with their full position, so they
 * survive a failure between discovery and assignment. {@code finished}: splits read to their end
 * (bounded mode), never created again.
 */
@Internal
public final class ZkmqEnumState {
    private final SortedMap<QueuePartition, Integer> lastOwner;
    private final SortedSet<QueuePartition> held;
    private final List<ZkmqSplit> unassigned;
    private final SortedSet<QueuePartition> finished;
    private final boolean initialDiscoveryDone;

    public ZkmqEnumState(
            SortedMap<QueuePartition, Integer> lastOwner,
            SortedSet<QueuePartition> held,
            List<ZkmqSplit> unassigned,
            SortedSet<QueuePartition> finished,
            boolean initialDiscoveryDone) {
        this.lastOwner = Collections.unmodifiableSortedMap(new TreeMap<>(lastOwner));
        this.held = Collections.unmodifiableSortedSet(new TreeSet<>(held));
        this.unassigned = List.copyOf(unassigned);
        this.finished = Collections.unmodifiableSortedSet(new TreeSet<>(finished));
        this.initialDiscoveryDone = initialDiscoveryDone;
    }

    public static ZkmqEnumState empty() {
        return new ZkmqEnumState(
                new TreeMap<>(), new TreeSet<>(), List.of(), new TreeSet<>(), false);
    }

    public SortedMap<QueuePartition, Integer> lastOwner() {
        return lastOwner;
    }

    public SortedSet<QueuePartition> held() {
        return held;
    }

    public List<ZkmqSplit> unassigned() {
        return unassigned;
    }

    public SortedSet<QueuePartition> finished() {
        return finished;
    }

    public boolean initialDiscoveryDone() {
        return initialDiscoveryDone;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ZkmqEnumState s
                && s.lastOwner.equals(lastOwner)
                && s.held.equals(held)
                && s.unassigned.equals(unassigned)
                && s.finished.equals(finished)
                && s.initialDiscoveryDone == initialDiscoveryDone;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastOwner, held, unassigned, finished, initialDiscoveryDone);
    }

    @Override
    public String toString() {
        return "ZkmqEnumState{held "
                + held.size()
                + ", unassigned "
                + unassigned.size()
                + ", finished "
                + finished.size()
                + ", owners "
                + lastOwner
                + "}";
    }
}
