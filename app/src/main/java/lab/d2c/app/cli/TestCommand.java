package lab.d2c.app.cli;

import picocli.CommandLine.Command;

/** Listed for --help; the ./d2c script runs the suite with Maven before Java starts. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Run the full test suite (every module) with Maven.",
                "Use it from a checkout: ./d2c test [MAVEN_ARGS...]."})
public final class TestCommand implements Runnable {

    @Override
    public void run() {
        throw CliError.usage("run the test suite from the repository root: ./d2c test");
    }
}
