package io.zkmq.cli;

import io.zkmq.client.ZkmqClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zkmq group delete GROUP --queue Q}: deletes the group's state unless it is in use. */
@Command(
        name = "delete",
        description = {
            "Delete a consumer group's state in a queue: its committed offsets and assignment.",
            "Refused while the group has live members or partition owners."
        })
final class GroupDeleteCommand implements Callable<Integer> {
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
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            client.admin().groups().deleteGroup(queue, group);
        }
        spec.commandLine().getOut().printf("Deleted group %s of queue %s%n", group, queue);
        return 0;
    }
}
