package lab.d2c.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import lab.d2c.model.data.DatasetMissingException;
import picocli.CommandLine;

/**
 * Turns whatever a command throws into one line on stderr and an exit status: 2 when the command
 * line or the settings are wrong, 1 when the work failed (the API unreachable, a failed check at
 * start, a missing data set). The Java trace is for developers: only with {@code --debug}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    private final boolean debug;
    private final PrintStream err;

    ErrorHandler(boolean debug, PrintStream err) {
        this.debug = debug;
        this.err = err;
    }

    /** Installs the handler on a command line; returns it. */
    static CommandLine install(CommandLine cli, boolean debug, PrintStream err) {
        ErrorHandler h = new ErrorHandler(debug, err);
        return cli.setExecutionExceptionHandler(h).setParameterExceptionHandler(h);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
        traceIfDebug(ex);
        return CliError.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        Outcome o = outcome(ex);
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + o.message()
                + (o.expected() || debug ? "" : " (--debug shows the Java trace)"));
        traceIfDebug(ex);
        return o.exitCode();
    }

    /**
     * The line and status for an exception.
     *
     * @param expected true for the errors the CLI knows how to explain; false for anything else (a bug,
     *     most likely), whose line then points at --debug
     */
    record Outcome(String message, int exitCode, boolean expected) {
    }

    static Outcome outcome(Throwable thrown) {
        Throwable t = unwrap(thrown);
        if (t instanceof CliError e) {
            return new Outcome(e.getMessage(), e.exitCode(), true);
        }
        if (t instanceof ApiClient.ApiCallException || t instanceof DatasetMissingException
                || t instanceof IllegalStateException || t instanceof IllegalArgumentException) {
            // ours carry sentences meant for people: the API's answer, the install command, the failed check
            return new Outcome(t.getMessage(), CliError.FAILURE, t.getMessage() != null);
        }
        if (t instanceof UncheckedIOException e) {
            return new Outcome(e.getMessage() + ": " + e.getCause().getMessage(), CliError.FAILURE, true);
        }
        if (t instanceof IOException && t.getMessage() != null) {
            return new Outcome(t.getMessage(), CliError.FAILURE, true);
        }
        return new Outcome(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()),
                CliError.FAILURE, false);
    }

    /** The exception that says what went wrong, not the wrappers around it. */
    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while (cur.getCause() != null && cur.getCause() != cur && (cur instanceof ExecutionException
                || cur instanceof CompletionException || cur instanceof InvocationTargetException
                || cur instanceof CommandLine.ExecutionException
                || cur.getMessage() == null || cur.getMessage().equals(cur.getCause().toString()))) {
            cur = cur.getCause();
        }
        return cur;
    }

    private void traceIfDebug(Throwable t) {
        if (debug) {
            t.printStackTrace(err);
        }
    }
}
