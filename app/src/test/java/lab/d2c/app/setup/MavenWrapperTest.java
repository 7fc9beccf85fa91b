package lab.d2c.app.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Maven wrapper fetches a pinned Maven 3.9 from Maven Central itself (the only-script type: no
 * wrapper jar in the repository), and the launcher uses it before the system Maven.
 */
class MavenWrapperTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Maven Central's path of a Maven binary distribution; group 1 and 2: the version, twice. */
    private static final Pattern CENTRAL = Pattern.compile(
            "https://repo\\.maven\\.apache\\.org/maven2/org/apache/maven/apache-maven/(3\\.9\\.\\d+)/apache-maven-(3\\.9\\.\\d+)-bin\\.zip");

    @Test
    void thePropertiesPinAMaven39DistributionOnMavenCentral() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve(".mvn/wrapper/maven-wrapper.properties"))) {
            p.load(r);
        }
        assertThat(p.getProperty("distributionType")).isEqualTo("only-script");
        Matcher m = CENTRAL.matcher(p.getProperty("distributionUrl", ""));
        assertThat(m.matches()).as("distributionUrl %s", p.getProperty("distributionUrl")).isTrue();
        assertThat(m.group(2)).isEqualTo(m.group(1));
    }

    @Test
    void theScriptIsExecutableAndNeedsNoWrapperJar() throws IOException {
        Path mvnw = ROOT.resolve("mvnw");
        assertThat(Files.isExecutable(mvnw)).isTrue();
        assertThat(Files.readString(mvnw)).startsWith("#!/bin/sh").doesNotContain("maven-wrapper.jar\"\n");
        assertThat(ROOT.resolve(".mvn/wrapper/maven-wrapper.jar")).doesNotExist();
    }

    @Test
    void theLauncherBuildsWithTheWrapperAndFallsBackToTheSystemMaven() throws IOException {
        String d2c = Files.readString(ROOT.resolve("d2c"));
        assertThat(d2c).contains("\"$ROOT/mvnw\"").contains("command -v mvn");
        // every build goes through the one choice, none calls mvn directly
        assertThat(d2c.lines().filter(l -> l.matches("\\s*(exec )?\\(?.*\\bmvn -B.*"))).isEmpty();
    }
}
