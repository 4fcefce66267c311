package io.zkmq.cli;

import io.zkmq.client.ZkmqClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code zkmq queue list}: one queue name per line, sorted. */
@Command(name = "list", description = "List queues, one name per line.")
final class QueueListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            client.admin().listQueues().forEach(out::println);
        }
        return 0;
    }
}
