package io.zkmq.cli;

import picocli.CommandLine.Command;

/** {@code zkmq group ...}: inspect, move and delete consumer groups of a queue. */
@Command(
        name = "group",
        description = "List, describe, move and delete the consumer groups of a queue.",
        subcommands = {
            GroupListCommand.class,
            GroupDescribeCommand.class,
            GroupResetOffsetsCommand.class,
            GroupDeleteCommand.class
        })
final class GroupCommand {}
