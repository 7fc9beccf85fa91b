package lab.d2c.app.cli;

/** An error for the person at the keyboard: its message is the whole story, its code the exit status. */
final class CliError extends RuntimeException {

    /** The command line or the settings are wrong (sysexits' EX_USAGE is 64; picocli and most CLIs use 2). */
    static final int USAGE = 2;
    /** The command was right but could not be carried out. */
    static final int FAILURE = 1;

    private final int exitCode;

    private CliError(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliError usage(String message) {
        return new CliError(USAGE, message, null);
    }

    static CliError usage(String message, Throwable cause) {
        return new CliError(USAGE, message, cause);
    }

    static CliError failure(String message) {
        return new CliError(FAILURE, message, null);
    }

    int exitCode() {
        return exitCode;
    }
}
