package lab.d2c.app.cli;

import java.nio.file.Path;
import java.util.Arrays;
import lab.d2c.store.build.BuildInfo;
import lab.d2c.store.config.SecretFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point of the runnable jar. */
@Command(name = "d2c", mixinStandardHelpOptions = true, versionProvider = D2cCli.Version.class,
        description = "D2C Lab: durable, reproducible ablation sweeps of the D2C image generator.",
        subcommands = {LocalCommand.class, DemoCommand.class, WorkerCommand.class, ApiCommand.class,
                SweepCommand.class, ExperimentCommand.class, ArtifactCommand.class, MetricsCommand.class,
                TestCommand.class, BenchCommand.class},
        footer = {"", "Configuration: D2C_* environment variables or <data dir>/config.yaml (see README).",
                "Errors print one line; exit status 2 = wrong command line or settings, 1 = the work failed.",
                "Run './d2c COMMAND --help' for a command's options."})
public final class D2cCli implements Runnable {

    static final String DEBUG = "--debug";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // read by main before parsing (a parse error needs it too); declared so every command accepts it
    @Option(names = DEBUG, scope = ScopeType.INHERIT, description = "On an error, print the Java stack trace too.")
    boolean debug;

    public static void main(String[] args) {
        // the log file's folder (logback.xml): owner-only, unlike the world-readable /tmp it once was
        SecretFile.createPrivateDirectories(Path.of(System.getProperty("user.home"), ".cache", "d2c"));
        Logging.configure();
        System.exit(commandLine(Arrays.asList(args).contains(DEBUG), System.err).execute(args));
    }

    /** The command line with its error handling, as main runs it; errors go to {@code err}. */
    static CommandLine commandLine(boolean debug, java.io.PrintStream err) {
        return ErrorHandler.install(new CommandLine(new D2cCli()).setCaseInsensitiveEnumValuesAllowed(true), debug, err);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The version and the git commit the jar was built from. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"d2c 0.1.0 (commit " + BuildInfo.commit() + ")"};
        }
    }
}
