package lab.d2c.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import lab.d2c.app.setup.AptInstall;
import lab.d2c.app.setup.FakeRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which sweep the demo runs, and what it says, when Fashion-MNIST is there, installable, or not. */
class DemoCommandTest {

    private static final String INSTALL = "env DEBIAN_FRONTEND=noninteractive apt-get install -y -q dataset-fashion-mnist";

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Answers "test -d" from the real file system, and makes apt-get install create the data directory. */
    private FakeRunner machine(Path data, int aptExit) {
        return new FakeRunner().handler(c -> {
            String line = String.join(" ", c);
            if (line.equals("test -d " + data)) {
                return new AptInstall.Result(Files.isDirectory(data) ? 0 : 1, "");
            }
            if (line.endsWith(INSTALL)) {
                if (aptExit == 0) {
                    try {
                        Files.createDirectories(data);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return new AptInstall.Result(aptExit, "");
            }
            return null;
        });
    }

    @Test
    void installedDataRunsTheDemoAndTouchesNothing() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("fashion-mnist"));
        FakeRunner fake = machine(data, 0);
        assertThat(DemoCommand.chooseSweep(null, data, new AptInstall(fake, out, "d2c demo"), out)).isEqualTo("demo");
        assertThat(fake.calls).isEmpty();
        assertThat(printed()).isEmpty();
    }

    @Test
    void asRootItInstallsTheDatasetAndRunsTheDemo() throws Exception {
        Path data = tmp.resolve("fashion-mnist");
        FakeRunner fake = machine(data, 0).root();
        assertThat(DemoCommand.chooseSweep(null, data, new AptInstall(fake, out, "d2c demo"), out)).isEqualTo("demo");
        assertThat(printed()).isEqualTo(
                "d2c demo: installing Debian's dataset-fashion-mnist (apt-get install -y dataset-fashion-mnist)...\n");
        assertThat(fake.calls).contains(INSTALL);
    }

    @Test
    void withPasswordlessSudoItInstallsThroughSudo() throws Exception {
        Path data = tmp.resolve("fashion-mnist");
        FakeRunner fake = machine(data, 0).answer("id -u", 0, "1000").answer("sudo -n true", 0, "")
                .answer("sh -c command -v apt-get", 0, "/usr/bin/apt-get");
        assertThat(DemoCommand.chooseSweep(null, data, new AptInstall(fake, out, "d2c demo"), out)).isEqualTo("demo");
        assertThat(printed()).contains("(sudo apt-get install -y dataset-fashion-mnist)...");
        assertThat(fake.calls).contains("sudo -n " + INSTALL);
    }

    @Test
    void withoutRootOrSudoItFallsBackToSmokeSayingWhyAndHowToFix() throws Exception {
        Path data = tmp.resolve("fashion-mnist");
        FakeRunner fake = machine(data, 0).userWithoutSudo();
        assertThat(DemoCommand.chooseSweep(null, data, new AptInstall(fake, out, "d2c demo"), out)).isEqualTo("smoke");
        assertThat(printed()).contains("not root, and sudo is absent or asks for a password")
                .contains("running the 'smoke' sweep").contains("sudo apt-get install -y dataset-fashion-mnist, then ./d2c demo");
        assertThat(fake.calls).noneMatch(c -> c.contains("apt-get install"));
    }

    @Test
    void whenAptFailsItFallsBackToSmokeSayingSo() throws Exception {
        Path data = tmp.resolve("fashion-mnist");
        FakeRunner fake = machine(data, 100).root();
        assertThat(DemoCommand.chooseSweep(null, data, new AptInstall(fake, out, "d2c demo"), out)).isEqualTo("smoke");
        assertThat(printed()).contains("apt-get install failed (exit 100").contains("running the 'smoke' sweep");
    }

    @Test
    void aNamedSweepThatNeedsTheDataFailsInsteadOfSwitching() {
        Path data = tmp.resolve("fashion-mnist");
        FakeRunner fake = machine(data, 0).userWithoutSudo();
        assertThatThrownBy(() -> DemoCommand.chooseSweep("paper", data, new AptInstall(fake, out, "d2c demo"), out))
                .isInstanceOf(CliError.class).hasMessageContaining("'paper' sweep needs Fashion-MNIST")
                .hasMessageContaining("sudo apt-get install -y dataset-fashion-mnist")
                .satisfies(e -> assertThat(((CliError) e).exitCode()).isEqualTo(CliError.FAILURE));
    }

    @Test
    void theSmokeSweepNeedsNoData() throws Exception {
        Path data = tmp.resolve("fashion-mnist");
        FakeRunner fake = machine(data, 0);
        assertThat(DemoCommand.chooseSweep("smoke", data, new AptInstall(fake, out, "d2c demo"), out)).isEqualTo("smoke");
        assertThat(fake.calls).isEmpty();
    }
}
