package io.zkmq.cli;

import picocli.CommandLine.Command;

/** {@code zkmq group ...}: inspect consumer groups of a queue. */
@Command(
        name = "group",
        description = "List and describe the consumer groups of a queue.",
        subcommands = {GroupListCommand.class, GroupDescribeCommand.class})
final class GroupCommand {}
