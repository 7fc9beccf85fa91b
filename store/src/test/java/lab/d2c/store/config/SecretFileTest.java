package lab.d2c.store.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets are created once, owner-only, and narrowed back to owner-only when found wider. */
class SecretFileTest {

    @TempDir
    Path dir;

    @Test
    void createdOnceWithModeSixHundredInAnOwnerOnlyFolder() throws Exception {
        Path file = dir.resolve("state").resolve("secret");
        SecretFile.Secret first = SecretFile.readOrCreate(file);
        assertThat(first.created()).isTrue();
        assertThat(first.value()).matches("[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        SecretFile.Secret again = SecretFile.readOrCreate(file);
        assertThat(again.created()).isFalse();
        assertThat(again.value()).isEqualTo(first.value());
        assertThat(first.toString()).doesNotContain(first.value());
    }

    @Test
    void aSecretReadableByOthersIsNarrowedWhenRead() throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "a-secret-someone-made-readable\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(SecretFile.read(file)).hasValue("a-secret-someone-made-readable");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void localSecretsAreFourDistinctValues() {
        LocalSecrets s = LocalSecrets.readOrCreate(dir.resolve("data"));
        assertThat(java.util.Set.of(s.postgresSuperuserPassword(), s.postgresPassword(), s.s3AccessKey(), s.s3SecretKey()))
                .hasSize(4);
        assertThat(LocalSecrets.readOrCreate(dir.resolve("data"))).isEqualTo(s);
        assertThat(LocalSecrets.postgresPassword(dir.resolve("data"))).hasValue(s.postgresPassword());
        assertThat(s.toString()).doesNotContain(s.postgresPassword());
    }
}
