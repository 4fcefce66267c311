package io.zkmq.cli;

import io.zkmq.client.GroupAdmin;
import io.zkmq.client.PartitionHolder;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.OwnerInfo;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Tells a group consumer's user what it waits for: partitions whose reader lock another owner holds
 * (typically a consumer that was killed, whose ZooKeeper session has not expired yet), who that
 * owner is and by when its session ends if it is gone. A partition counts as waited for if the
 * group assigns it to this member, or if the group has not assigned this member anything yet (its
 * leader, maybe the killed consumer itself, has not rebalanced); partitions a live group shares out
 * to other members do not.
 */
final class LockWaitReport {
    private static final long CHECK_NANOS = 1_000_000_000L;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final GroupAdmin groups;
    private final String queue;
    private final String group;
    private final String memberId;
    private final Progress progress;
    private final long started = System.nanoTime();
    private final Set<Integer> acquired = new TreeSet<>();
    private final Map<Long, Long> firstSeenMillis = new HashMap<>(); // by owner session
    private final Set<Long> reportedAlive = new HashSet<>();
    private Map<Integer, OwnerInfo> waiting = Map.of();
    private String lastReported = "";
    private long lastCheck = started;

    LockWaitReport(
            GroupAdmin groups, String queue, String group, String memberId, Progress progress) {
        this.groups = groups;
        this.queue = queue;
        this.group = group;
        this.memberId = memberId;
        this.progress = progress;
    }

    /**
     * Looks again (at most once a second) given the partitions held now; returns a short status for
     * the progress line, or null when nothing is waited for.
     */
    String check(Set<Integer> held) {
        acquired.addAll(held);
        long now = System.nanoTime();
        if (now - lastCheck >= CHECK_NANOS) {
            lastCheck = now;
            try {
                waiting = waitedFor(held);
            } catch (ZkmqException e) {
                return "cannot read the group's locks: " + e.getMessage();
            }
            report();
        }
        return waiting.isEmpty() ? null : "waiting for " + partitions(waiting.keySet());
    }

    /** At the end: why partitions were never acquired, or null if none was left waiting. */
    String neverAcquired(String timeout) {
        Map<Integer, OwnerInfo> never = new TreeMap<>(waiting);
        never.keySet().removeAll(acquired);
        if (never.isEmpty()) {
            return null;
        }
        return capitalized(partitions(never.keySet()))
                + " of group '"
                + group
                + "' were never acquired within --timeout "
                + timeout
                + ": held by "
                + byOwner(never).stream().map(this::describe).collect(Collectors.joining("; "))
                + ". Run again after that, or with a longer --timeout";
    }

    private Map<Integer, OwnerInfo> waitedFor(Set<Integer> held) {
        List<PartitionHolder> holders = groups.holders(queue, group);
        boolean assignedAnything =
                holders.stream().anyMatch(h -> h.assignedTo().filter(memberId::equals).isPresent());
        Map<Integer, OwnerInfo> result = new TreeMap<>();
        for (PartitionHolder h : holders) {
            if (held.contains(h.partition()) || h.owner().isEmpty()) {
                continue;
            }
            OwnerInfo owner = h.owner().get();
            boolean mine = h.assignedTo().filter(memberId::equals).isPresent();
            if (!owner.ownerId().equals(memberId) && (mine || !assignedAnything)) {
                result.put(h.partition(), owner);
                firstSeenMillis.putIfAbsent(owner.sessionId(), System.currentTimeMillis());
            }
        }
        return result;
    }

    private void report() {
        String now = waiting.toString();
        if (!waiting.isEmpty() && !now.equals(lastReported)) {
            for (Map.Entry<OwnerInfo, Set<Integer>> e : byOwnerMap(waiting).entrySet()) {
                progress.message(
                        "Waiting for "
                                + partitions(e.getValue())
                                + " of group '"
                                + group
                                + "': held by "
                                + describe(e.getKey()));
            }
        }
        lastReported = now;
        for (OwnerInfo owner : byOwnerMap(waiting).keySet()) {
            long timeout = owner.sessionTimeoutMillis();
            long since = System.currentTimeMillis() - firstSeenMillis.get(owner.sessionId());
            if (timeout > 0 && since > timeout + 2_000 && reportedAlive.add(owner.sessionId())) {
                progress.message(
                        "Owner '"
                                + owner.ownerId()
                                + "' still holds them after its session timeout: it is alive (another"
                                + " consumer of group '"
                                + group
                                + "'); stop it or use another --group");
            }
        }
    }

    private String describe(OwnerInfo o) {
        String who =
                "owner '" + o.ownerId() + "' (session 0x" + Long.toHexString(o.sessionId()) + ")";
        long timeout = o.sessionTimeoutMillis();
        if (timeout <= 0) {
            return who
                    + "; if that consumer was killed, ZooKeeper releases them when its session"
                    + " expires (30s unless it set another session timeout)";
        }
        long by = firstSeenMillis.getOrDefault(o.sessionId(), System.currentTimeMillis()) + timeout;
        return who
                + "; if that consumer was killed, ZooKeeper releases them when its session expires,"
                + " by "
                + LocalTime.ofInstant(java.time.Instant.ofEpochMilli(by), ZoneId.systemDefault())
                        .truncatedTo(ChronoUnit.SECONDS)
                        .format(CLOCK)
                + " at the latest (session timeout "
                + DurationConverter.format(java.time.Duration.ofMillis(timeout))
                + ")";
    }

    private static Map<OwnerInfo, Set<Integer>> byOwnerMap(Map<Integer, OwnerInfo> partitions) {
        Map<OwnerInfo, Set<Integer>> out = new HashMap<>();
        partitions.forEach((p, o) -> out.computeIfAbsent(o, k -> new TreeSet<>()).add(p));
        return out;
    }

    private static List<OwnerInfo> byOwner(Map<Integer, OwnerInfo> partitions) {
        return new ArrayList<>(new java.util.LinkedHashSet<>(partitions.values()));
    }

    private static String partitions(Set<Integer> ps) {
        return (ps.size() == 1 ? "partition " : "partitions ")
                + ps.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
