package io.zkmq.cli;

import io.zkmq.client.ZkmqClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zkmq queue delete NAME}. */
@Command(
        name = "delete",
        description = "Delete a queue with all its records, groups and committed offsets.")
final class QueueDeleteCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUEUE", description = "The queue.")
    String queue;

    @Override
    public Integer call() {
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            client.admin().deleteQueue(queue);
        }
        spec.commandLine().getOut().printf("Deleted queue %s%n", queue);
        return 0;
    }
}
