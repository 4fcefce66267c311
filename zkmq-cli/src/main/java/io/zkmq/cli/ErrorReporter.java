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
                e.getMessage() + " (see '" + help + "')",
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
            return message;
        }
        if (e instanceof UncheckedIOException io) {
            return io.getCause().toString();
        }
        return e + " (an unexpected error; run with --verbose for the stack trace)";
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
