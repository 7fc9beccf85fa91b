package lab.d2c.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defaults, the config file, environment variables over it, and errors that name the setting. */
class D2cConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsThenFileThenEnvironment() throws Exception {
        D2cConfig defaults = D2cConfig.load(Map.of(), Optional.of(dir));
        assertThat(defaults.apiHost()).isEqualTo("127.0.0.1");
        assertThat(defaults.nodeHeartbeatS()).isEqualTo(60);
        assertThat(defaults.dataDir()).isEqualTo(dir.toAbsolutePath());

        Files.writeString(dir.resolve("config.yaml"), "node_heartbeat_s: 20\napi_port: 8080\n");
        D2cConfig fromFile = D2cConfig.load(Map.of(), Optional.of(dir));
        assertThat(fromFile.nodeHeartbeatS()).isEqualTo(20);
        assertThat(fromFile.apiPort()).isEqualTo(8080);

        D2cConfig fromEnv = D2cConfig.load(Map.of("D2C_NODE_HEARTBEAT_S", "10"), Optional.of(dir));
        assertThat(fromEnv.nodeHeartbeatS()).isEqualTo(10);
        assertThat(fromEnv.apiPort()).as("the file still counts").isEqualTo(8080);
    }

    @Test
    void badValuesNameTheVariable() throws Exception {
        assertThatThrownBy(() -> D2cConfig.load(Map.of("D2C_NODE_HEARTBEAT_S", "2"), Optional.of(dir)))
                .hasMessageContaining("D2C_NODE_HEARTBEAT_S").hasMessageContaining("[5, 3600]");
        assertThatThrownBy(() -> D2cConfig.load(Map.of("D2C_API_PORT", "http"), Optional.of(dir)))
                .hasMessageContaining("D2C_API_PORT");
        Files.writeString(dir.resolve("config.yaml"), "heartbeat: 20\n");
        assertThatThrownBy(() -> D2cConfig.load(Map.of(), Optional.of(dir)))
                .hasMessageContaining("heartbeat: unknown setting");
    }

    @Test
    void toStringKeepsSecretsOut() {
        D2cConfig c = D2cConfig.load(Map.of("D2C_S3_SECRET_KEY", "s3-secret-value", "D2C_JDBC_PASSWORD", "pg-secret-value",
                "D2C_API_TOKEN", "api-token-secret-value"), Optional.of(dir));
        assertThat(c.toString()).doesNotContain("s3-secret-value", "pg-secret-value", "api-token-secret-value");
    }

    @Test
    void noCredentialHasADefaultAnotherUserCouldKnow() {
        D2cConfig c = D2cConfig.load(Map.of(), Optional.of(dir));
        assertThat(c.jdbcUser()).isEmpty();
        assertThat(c.jdbcPassword()).isEmpty();
        assertThat(c.s3AccessKey()).isEmpty();
        assertThat(c.s3SecretKey()).isEmpty();
        assertThat(c.embeddedHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void allowedHostNamesFollowTheBindAddressUnlessListed() {
        assertThat(D2cConfig.load(Map.of(), Optional.of(dir)).allowedHostNames())
                .containsExactly("localhost", "127.0.0.1", "[::1]");
        assertThat(D2cConfig.load(Map.of("D2C_API_HOST", "0.0.0.0"), Optional.of(dir)).allowedHostNames())
                .as("bound beyond loopback, with no list: any name").isEmpty();
        assertThat(D2cConfig.load(Map.of("D2C_API_ALLOWED_HOSTS", "lab.example, GPU-1"), Optional.of(dir))
                .allowedHostNames()).containsExactly("lab.example", "gpu-1");
    }

    @Test
    void fileRootsDefaultToDatasetsAndTheDataDirsFiles() {
        assertThat(D2cConfig.load(Map.of(), Optional.of(dir)).fileRootPaths())
                .containsExactly(Path.of("/usr/share/datasets"), dir.toAbsolutePath().resolve("files"));
        assertThat(D2cConfig.load(Map.of("D2C_FILE_ROOTS", "/data/a/../b, /srv"), Optional.of(dir)).fileRootPaths())
                .containsExactly(Path.of("/data/b"), Path.of("/srv"));
    }
}
