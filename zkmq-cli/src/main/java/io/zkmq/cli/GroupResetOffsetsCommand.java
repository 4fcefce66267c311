package io.zkmq.cli;

import io.zkmq.client.OffsetReset;
import io.zkmq.client.ResetTarget;
import io.zkmq.client.ZkmqClient;
import io.zkmq.queue.StartingPosition;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code zkmq group reset-offsets GROUP --queue Q --to-...}: prints the old and new committed
 * offset per partition; writes them only with {@code --execute}. The work is {@link
 * io.zkmq.client.GroupAdmin}'s; this class parses and prints.
 */
@Command(
        name = "reset-offsets",
        description = {
            "Move a consumer group's committed offsets (a dry run unless --execute is given).",
            "Refused while the group has live members or partition owners."
        })
final class GroupResetOffsetsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP", description = "The consumer group.")
    String group;

    @Option(
            names = "--queue",
            paramLabel = "QUEUE",
            required = true,
            description = "The queue the group reads.")
    String queue;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(
            names = "--partition",
            paramLabel = "P",
            description = "Only this partition (repeatable; default: all).")
    List<Integer> partitions = List.of();

    @Option(names = "--execute", description = "Write the new offsets (default: only print them).")
    boolean execute;

    static final class Target {
        @Option(names = "--to-earliest", description = "The first retained record.")
        boolean earliest;

        @Option(names = "--to-latest", description = "The head: skip everything stored so far.")
        boolean latest;

        @Option(names = "--to-offset", paramLabel = "N", description = "Offset N.")
        Long offset;

        @Option(
                names = "--to-datetime",
                paramLabel = "TIME",
                converter = InstantConverter.class,
                description =
                        "The first record stored at or after TIME, ISO-8601 with a zone, e.g."
                                + " 2026-12-01T10:00:00Z.")
        Instant datetime;

        @Option(
                names = "--shift-by",
                paramLabel = "N",
                description =
                        "N records after (or, negative, before) the committed offset, within the"
                                + " retained range.")
        Long shift;

        ResetTarget toTarget() {
            if (earliest) {
                return ResetTarget.to(StartingPosition.earliest());
            }
            if (latest) {
                return ResetTarget.to(StartingPosition.latest());
            }
            if (offset != null) {
                return ResetTarget.to(StartingPosition.offset(offset));
            }
            if (datetime != null) {
                return ResetTarget.to(StartingPosition.timestamp(datetime.toEpochMilli()));
            }
            return ResetTarget.shiftBy(shift);
        }
    }

    @Override
    public Integer call() {
        if (target.offset != null && target.offset < 0) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--to-offset must be >= 0, got " + target.offset);
        }
        ResetTarget to = target.toTarget();
        List<OffsetReset> resets;
        try (ZkmqClient client = ZkmqCli.of(spec).connect(spec)) {
            resets =
                    execute
                            ? client.admin().groups().resetOffsets(queue, group, partitions, to)
                            : client.admin().groups().planReset(queue, group, partitions, to);
        }
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("PARTITION", "OLD", "NEW");
        for (OffsetReset r : resets) {
            Long old = r.oldOffset().isPresent() ? r.oldOffset().getAsLong() : null;
            table.row(r.partition(), old, r.newOffset());
        }
        table.print(out);
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        if (execute) {
            err.printf(
                    "Reset group %s of queue %s in %s%n",
                    group, queue, Plural.of(resets.size(), "partition"));
        } else {
            err.printf(
                    "Dry run: nothing changed; add --execute to move group %s of queue %s%n",
                    group, queue);
        }
        err.flush();
        return 0;
    }

    /** ISO-8601 instants with a zone or offset: {@code 2026-12-01T10:00:00Z}, {@code ...+01:00}. */
    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String text) {
            try {
                return OffsetDateTime.parse(text.trim()).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'"
                                + text
                                + "' is not a date and time; use ISO-8601 with a zone, e.g."
                                + " 2026-12-01T10:00:00Z");
            }
        }
    }
}
