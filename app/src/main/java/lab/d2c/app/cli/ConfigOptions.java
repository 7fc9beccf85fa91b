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

    D2cConfig load() {
        return D2cConfig.load(System.getenv(), Optional.ofNullable(dataDir));
    }
}
