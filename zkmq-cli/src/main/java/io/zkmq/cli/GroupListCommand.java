package io.zkmq.cli;

import io.zkmq.client.ZkmqClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zkmq group list --queue NAME}: one group per line, sorted. */
@Command(
        name = "list",
        description = "List the consumer groups that have state in a queue, one per line.")
final class GroupListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--queue",
            paramLabel = "QUEUE",
            required = true,
            description = "The queue whose groups to list.")
    String queue;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            client.admin().listGroups(queue).forEach(out::println);
        }
        return 0;
    }
}
