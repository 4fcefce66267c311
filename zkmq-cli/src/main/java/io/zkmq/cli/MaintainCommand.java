package io.zkmq.cli;

import io.zkmq.client.TierOffloadTask;
import io.zkmq.client.TransactionCleaner;
import io.zkmq.client.ZkmqClient;
import io.zkmq.coordination.MaintenanceEpoch;
import io.zkmq.coordination.MaintenanceLeader;
import io.zkmq.coordination.RetentionTask;
import io.zkmq.error.ZkErrors;
import io.zkmq.queue.ZkmqPaths;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zkmq maintain --queue Q [--queue Q2] [--once] [--interval 30s]}: retention and, for a
 * queue with a tier, offload without an application client. Runs in the queue's maintenance-leader
 * election like any client, so it never trims or offloads concurrently with another leader.
 */
@Command(
        name = "maintain",
        description = {
            "Run retention for queues: trim whole segments past their retention limits, and offload"
                    + " complete segments to a queue's tier (see --tier-config, --flink-plugins-dir).",
            "Takes part in each queue's maintenance-leader election, so it is safe next to running clients.",
            "With --once: if no other client leads, trim once and exit (for cron); otherwise run until Ctrl-C."
        })
final class MaintainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--queue",
            paramLabel = "QUEUE",
            required = true,
            description = "A queue to maintain (repeatable).")
    List<String> queues;

    @Option(
            names = "--once",
            description = "Trim and offload once where this process wins the election, then exit.")
    boolean once;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description =
                    "How often the leader trims and offloads when running continuously (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            for (String queue : queues) {
                client.admin().readConfig(queue); // a missing queue fails here, by name
            }
            if (once) {
                for (String queue : queues) {
                    out.println(trimOnce(client, queue));
                }
                return 0;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            try (OnShutdown stopOnCtrlC = OnShutdown.run("maintain", stopped::countDown)) {
                for (String queue : queues) {
                    client.joinMaintenance(queue, new MaintenanceLeader.Settings(interval));
                }
                out.printf(
                        "Maintaining %s every %s; press Ctrl-C to stop%n",
                        String.join(", ", queues), interval);
                out.flush();
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    private String trimOnce(ZkmqClient client, String queue) throws Exception {
        try (LeaderLatch latch = new LeaderLatch(client.curator(), ZkmqPaths.maintenance(queue))) {
            latch.start();
            if (!latch.await(
                    client.options().connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return "Queue " + queue + ": another client leads its maintenance; nothing to do";
            }
            int trimmed = new RetentionTask(client.curator(), queue).runOnce();
            TransactionCleaner.Result txns =
                    new TransactionCleaner(client.curator(), client.transactions(), queue)
                            .runOnce();
            int offloaded = offloadOnce(client, queue);
            return "Queue "
                    + queue
                    + ": trimmed "
                    + trimmed
                    + " segment(s); offloaded "
                    + offloaded
                    + " tier object(s); transactions: "
                    + txns.abandonedAborted()
                    + " abandoned aborted, "
                    + txns.abortsFinished()
                    + " interrupted aborts finished, "
                    + txns.committedRemoved()
                    + " committed markers removed";
        } catch (java.io.IOException e) {
            throw ZkErrors.translate(
                    e, "leaving the maintenance election of queue '" + queue + "'");
        }
    }

    /** As the elected leader does: a new fencing epoch, then one run of the tier task. */
    private static int offloadOnce(ZkmqClient client, String queue) throws Exception {
        MaintenanceEpoch epoch = new MaintenanceEpoch(client.curator(), queue);
        epoch.bump();
        try {
            return new TierOffloadTask(
                            client.curator(),
                            client.options().namespace(),
                            queue,
                            epoch,
                            client.options().tierOrphanGrace())
                    .runOnce();
        } finally {
            epoch.release();
        }
    }
}
