package lab.d2c.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lab.d2c.api.platform.D2cConfig;
import org.junit.jupiter.api.Test;

/** Every D2C_* variable the code reads has its row in docs/sweeps.md's configuration table. */
class ConfigTableTest {

    /** A whole name: not a prefix such as {@code D2C_S3_} or {@code D2C_JDBC_*}. */
    private static final Pattern NAME = Pattern.compile("D2C_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_*])");

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theTableListsEveryVariableTheCodeReads() throws IOException {
        Set<String> read = new TreeSet<>(D2cConfig.ENV_NAMES.values());
        // main sources and resources of every module (logback.xml reads D2C_LOG_FILE), and the launcher
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path main : modules.map(m -> m.resolve("src/main")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(main)) {
                    for (Path f : files.filter(Files::isRegularFile).filter(ConfigTableTest::isText).toList()) {
                        read.addAll(names(Files.readString(f)));
                    }
                }
            }
        }
        read.addAll(names(Files.readString(ROOT.resolve("d2c"))));
        assertThat(read).as("the scan found the code's variables").contains("D2C_DEVICE", "D2C_API_URL", "D2C_LOG_FILE",
                "D2C_JDBC_URL", "D2C_CONFIG");

        Set<String> documented = names(table(Files.readString(ROOT.resolve("docs/sweeps.md"))));
        assertThat(read).as("variables read by the code but missing from docs/sweeps.md's Configuration table")
                .isSubsetOf(documented);
    }

    @Test
    void namesAreWholeVariablesNotPrefixes() {
        assertThat(names("{@code D2C_S3_*} settings, \"D2C_JDBC_\" + k, D2C_API_URL, ${D2C_LOG_FILE:-x}, D2C_*"))
                .containsExactlyInAnyOrder("D2C_API_URL", "D2C_LOG_FILE");
    }

    private static boolean isText(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".java") || n.endsWith(".xml") || n.endsWith(".yaml") || n.endsWith(".properties");
    }

    private static Set<String> names(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = NAME.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The first cells (the variables) of the table under "## Configuration". */
    private static String table(String doc) {
        int section = doc.indexOf("\n## Configuration");
        assertThat(section).as("docs/sweeps.md has a Configuration section").isPositive();
        StringBuilder rows = new StringBuilder();
        boolean inTable = false;
        for (String line : doc.substring(section + 1).lines().skip(1).toList()) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = line.split("\\|");
                rows.append(cells.length > 1 ? cells[1] : "").append('\n');
            } else if (inTable) {
                break;
            }
        }
        return rows.toString();
    }
}
