package lab.d2c.app.cli;

import java.nio.file.Path;
import lab.d2c.store.config.SecretFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the runnable jar. */
@Command(name = "d2c", mixinStandardHelpOptions = true, version = "d2c 0.1.0",
        description = "D2C Lab: durable, reproducible ablation sweeps of the D2C image generator.",
        subcommands = {LocalCommand.class, DemoCommand.class, WorkerCommand.class, ApiCommand.class,
                SweepCommand.class, TestCommand.class, BenchCommand.class},
        footer = {"", "Configuration: D2C_* environment variables or <data dir>/config.yaml (see README).",
                "Run './d2c COMMAND --help' for a command's options."})
public final class D2cCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // the log file's folder (logback.xml): owner-only, unlike the world-readable /tmp it once was
        SecretFile.createPrivateDirectories(Path.of(System.getProperty("user.home"), ".cache", "d2c"));
        Logging.configure();
        int code = new CommandLine(new D2cCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
