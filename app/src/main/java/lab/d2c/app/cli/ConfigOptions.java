package lab.d2c.app.cli;

import java.nio.file.Path;
import java.util.Optional;
import lab.d2c.api.platform.D2cConfig;
import picocli.CommandLine.Option;

/** Options every command shares. */
final class ConfigOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "State of local mode: PostgreSQL data, S3 objects, API token (default ~/.d2c or $D2C_DATA_DIR).")
    Path dataDir;

    /** The settings; a bad value or an unreadable config.yaml is a usage error (exit 2), named in one line. */
    D2cConfig load() {
        try {
            return D2cConfig.load(System.getenv(), Optional.ofNullable(dataDir));
        } catch (IllegalArgumentException e) {
            throw CliError.usage("bad configuration: " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            throw CliError.usage(e.getMessage() + ": " + e.getCause().getMessage(), e);
        }
    }
}
