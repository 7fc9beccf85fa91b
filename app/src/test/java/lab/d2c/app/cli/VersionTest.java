package lab.d2c.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void versionNamesTheCommitTheJarWasBuiltFrom() throws Exception {
        StringWriter out = new StringWriter();
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int exit = D2cCli.commandLine(false, err).setOut(new PrintWriter(out, true)).execute("--version");
        assertThat(exit).isZero();
        assertThat(out.toString()).startsWith("d2c ").containsPattern("\\(commit ([0-9a-f]{40}|unknown)\\)");
        Assumptions.assumeTrue(Files.exists(Path.of("..", ".git")), "not built from a git checkout");
        // the commit of the checkout at build time; HEAD may have moved on since, so only its form is checked
        assertThat(out.toString()).containsPattern("\\(commit [0-9a-f]{40}\\)");
    }
}
