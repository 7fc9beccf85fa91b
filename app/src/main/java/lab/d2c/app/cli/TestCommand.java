package lab.d2c.app.cli;

import picocli.CommandLine.Command;

/**
 * Listed for --help; the ./d2c script runs the suite with Maven before the jar exists, after running
 * {@link lab.d2c.app.setup.AptInstall} as a single-file program for the prerequisites.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Install what the tests need (Debian's python3-scipy, python3-numpy, python3-torch, chromium,",
                "chromium-driver, postgresql-client, util-linux, docker-compose, dataset-fashion-mnist; as root or with",
                "passwordless sudo), then run the full test suite (every module) with Maven; a test whose prerequisite",
                "is missing fails.",
                "Use it from a checkout: ./d2c test [MAVEN_ARGS...]; ./d2c test --check-setup lists what is missing."})
public final class TestCommand implements Runnable {

    @Override
    public void run() {
        throw CliError.usage("run the test suite from the repository root: ./d2c test");
    }
}
