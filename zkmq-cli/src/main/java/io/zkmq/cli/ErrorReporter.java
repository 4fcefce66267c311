package io.zkmq.cli;

import io.zkmq.error.ZkmqException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Reports every failure as exactly one line {@code zkmq: error: <message>} on stderr, plus the
 * stack trace when {@code --verbose} was given. Invalid command lines exit with 2 and name the help
 * to read; failures while running exit with 1.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final String PREFIX = "zkmq: error: ";

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String help = cmd.getCommandSpec().qualifiedName() + " --help";
        report(
                cmd.getErr(),
                e.getMessage() + dashHint(e, args) + " (see '" + help + "')",
                e,
                VerboseLogging.requested(cmd.getParseResult()) || hasVerboseFlag(args));
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult fullParseResult) {
        report(cmd.getErr(), describe(e), e, VerboseLogging.requested(fullParseResult));
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    private static void report(PrintWriter err, String message, Throwable e, boolean verbose) {
        err.println(PREFIX + oneLine(message));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    /** The message of an expected failure; the type too for unexpected ones, which are bugs. */
    static String describe(Throwable e) {
        if (e instanceof ZkmqException
                || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            Throwable cause = e.getCause();
            if (cause != null
                    && cause.getMessage() != null
                    && !message.contains(cause.getMessage())) {
                message += ": " + cause.getMessage();
            }
            return CliWording.of(message);
        }
        if (e instanceof UncheckedIOException io) {
            return io.getCause().toString();
        }
        return e + " (an unexpected error; run with --verbose for the stack trace)";
    }

    /**
     * A name such as {@code -orders} is read as an (unknown) option, which shows up as a missing
     * parameter: say how to pass it.
     */
    private static String dashHint(ParameterException e, String[] args) {
        if (!(e instanceof CommandLine.MissingParameterException
                || e instanceof CommandLine.UnmatchedArgumentException)) {
            return "";
        }
        CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
        for (String arg : args) {
            if (arg.equals("--")) {
                return "";
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (arg.length() > 1
                    && arg.startsWith("-")
                    && !arg.matches("-\\d.*")
                    && spec.findOption(name) == null
                    && spec.root().findOption(name) == null) {
                return "; '"
                        + arg
                        + "' was read as an option: to pass a name that starts with '-', put it after"
                        + " '--' at the end, e.g. '"
                        + spec.qualifiedName()
                        + " [OPTIONS] -- "
                        + arg
                        + "'";
            }
        }
        return "";
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static boolean hasVerboseFlag(String[] args) {
        for (String arg : args) {
            if (arg.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
