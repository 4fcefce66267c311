package io.zkmq.cli;

import io.zkmq.client.GroupPartitionInfo;
import io.zkmq.client.ZkmqClient;
import io.zkmq.error.ZkmqException;
import io.zkmq.queue.Names;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zkmq group describe GROUP --queue NAME}: committed offset, head, lag and owner per
 * partition.
 */
@Command(
        name = "describe",
        description = "Show a group's committed offset, head offset, lag and owner per partition.")
final class GroupDescribeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP", description = "The consumer group.")
    String group;

    @Option(
            names = "--queue",
            paramLabel = "QUEUE",
            required = true,
            description = "The queue the group reads.")
    String queue;

    @Override
    public Integer call() {
        List<GroupPartitionInfo> partitions;
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            Names.group(group);
            List<String> groups = client.admin().listGroups(queue);
            if (!groups.contains(group)) {
                throw new ZkmqException(
                        "Group '"
                                + group
                                + "' has no state in queue '"
                                + queue
                                + "' (groups: "
                                + (groups.isEmpty() ? "none" : String.join(", ", groups))
                                + ")");
            }
            partitions = client.admin().describeGroup(queue, group);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Group %s of queue %s%n%n", group, queue);
        Table table = new Table("PARTITION", "COMMITTED", "HEAD", "LAG", "OWNER");
        long totalLag = 0;
        for (GroupPartitionInfo p : partitions) {
            Long committed =
                    p.committedOffset().isPresent() ? p.committedOffset().getAsLong() : null;
            table.row(p.partition(), committed, p.headOffset(), p.lag(), p.owner().orElse(null));
            totalLag += p.lag();
        }
        table.row("total", null, null, totalLag, null);
        table.print(out);
        return 0;
    }
}
