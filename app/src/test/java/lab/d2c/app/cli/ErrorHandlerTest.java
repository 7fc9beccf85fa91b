package lab.d2c.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lab.d2c.model.data.DatasetMissingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** User errors: one line on stderr, exit 2 (usage) or 1 (failure), the Java trace only with --debug. */
class ErrorHandlerTest {

    record Run(int exit, String err) {
        long lines() {
            return err.lines().count();
        }
    }

    private static Run d2c(boolean debug, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CommandLine cli = D2cCli.commandLine(debug, err);
        cli.setOut(new PrintWriter(new StringWriter()));
        int exit = cli.execute(args);
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    /** Throws what its argument names, as a command deep in the stack would. */
    @Command(name = "thrower")
    static final class Thrower implements Callable<Integer> {
        @Parameters
        String what;

        @Override
        public Integer call() {
            switch (what) {
                case "precondition" -> throw new IllegalStateException("libtorch's CPU convolution returned 3 non-finite"
                        + " input gradients; set ONEDNN_MAX_CPU_ISA=AVX and restart.");
                case "dataset" -> throw new DatasetMissingException("Fashion-MNIST file /x not found. Install Debian's"
                        + " package dataset-fashion-mnist");
                case "api" -> throw new ApiClient.ApiCallException("cannot reach the API at http://127.0.0.1:1");
                case "wrapped" -> throw new RuntimeException(new IllegalStateException("the sweep was cancelled"));
                default -> throw new NullPointerException("a bug");
            }
        }
    }

    private static Run thrower(boolean debug, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int exit = ErrorHandler.install(new CommandLine(new Thrower()), debug, err).execute(what);
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void failuresPrintTheirSentenceOnOneLineAndExit1() {
        assertThat(thrower(false, "precondition")).isEqualTo(new Run(1, "thrower: libtorch's CPU convolution returned 3"
                + " non-finite input gradients; set ONEDNN_MAX_CPU_ISA=AVX and restart.\n"));
        assertThat(thrower(false, "dataset")).isEqualTo(new Run(1, "thrower: Fashion-MNIST file /x not found. Install"
                + " Debian's package dataset-fashion-mnist\n"));
        assertThat(thrower(false, "api")).isEqualTo(new Run(1, "thrower: cannot reach the API at http://127.0.0.1:1\n"));
        assertThat(thrower(false, "wrapped")).isEqualTo(new Run(1, "thrower: the sweep was cancelled\n"));
    }

    @Test
    void anUnexpectedExceptionIsStillOneLineThatPointsAtDebug() {
        Run r = thrower(false, "npe");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("thrower: NullPointerException: a bug (--debug shows the Java trace)\n");
    }

    @Test
    void debugPrintsTheTrace() {
        Run r = thrower(true, "precondition");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("thrower: libtorch's CPU convolution");
        assertThat(r.err()).contains("java.lang.IllegalStateException", "\tat lab.d2c.app.cli.ErrorHandlerTest$Thrower");
        Run npe = thrower(true, "npe");
        assertThat(npe.err()).doesNotContain("--debug shows").contains("\tat ");
    }

    @Test
    void aBadCommandLineIsAUsageErrorOfOneLine() {
        Run r = d2c(false, "sweep", "run", "--no-such-option", "x.yaml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.lines()).isEqualTo(1);
        assertThat(r.err()).startsWith("d2c sweep run: Unknown option: '--no-such-option'")
                .contains("see 'd2c sweep run --help'").doesNotContain("\tat ");
        Run debug = d2c(true, "sweep", "run", "--no-such-option", "x.yaml", "--debug");
        assertThat(debug.exit()).isEqualTo(2);
        assertThat(debug.err()).contains("\tat picocli.");
    }

    @Test
    void aMissingSweepFileIsAUsageError(@TempDir Path dir) {
        Run r = d2c(false, "sweep", "run", dir.resolve("nope.yaml").toString());
        assertThat(r).isEqualTo(new Run(2, "d2c sweep run: no such file: " + dir.resolve("nope.yaml") + "\n"));
    }

    @Test
    void anUnreachableApiIsAFailure() {
        Run r = d2c(false, "sweep", "status", "smoke-1", "--api", "http://127.0.0.1:1");
        assertThat(r).isEqualTo(new Run(1, "d2c sweep status: cannot reach the API at http://127.0.0.1:1"
                + " (start it with ./d2c local, or set --api)\n"));
    }

    @Test
    void aBadConfigFileIsAUsageErrorNamingTheSetting(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "api_port: 70x70\n");
        Run r = d2c(false, "local", "--data-dir", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("d2c local: bad configuration: D2C_API_PORT: not a port number: '70x70'\n");
        Files.writeString(dir.resolve("config.yaml"), "no_such_setting: 1\n");
        Run unknown = d2c(false, "worker", "--data-dir", dir.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.lines()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("d2c worker: bad configuration: ").contains("no_such_setting: unknown setting");
    }
}
