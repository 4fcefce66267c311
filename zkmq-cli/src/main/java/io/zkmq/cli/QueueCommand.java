package io.zkmq.cli;

import picocli.CommandLine.Command;

/** {@code zkmq queue ...}: create, list, describe, alter and delete queues. */
@Command(
        name = "queue",
        description = "Create, list, describe, alter and delete queues.",
        subcommands = {
            QueueCreateCommand.class,
            QueueListCommand.class,
            QueueDescribeCommand.class,
            QueueAlterCommand.class,
            QueueDeleteCommand.class
        })
final class QueueCommand {}
